// A backtest judged on a handful of churned (or of staying) customers: its ROC-AUC and PR-AUC, and so the
// goal verdict built on them, swing with one or two customers, yet read like any other. The report says so.

/** Fewer customers than this in either class make the verdict noise (about ±0.1 ROC-AUC at 30). */
export const MIN_CLASS_SIZE = 30;

/** The report's warnings about the judged population's classes; none when both are large enough. */
export function fewLabelsWarnings(n: number, positives: number): string[] {
	const count = (x: number) => x.toLocaleString('en-US');
	const stayed = n - positives;
	const out: string[] = [];
	if (positives < MIN_CLASS_SIZE)
		out.push(`only ${count(positives)} churned customer${positives === 1 ? '' : 's'} in the label window: too few for the goal verdict to mean much; use a longer horizon or an earlier cutoff`);
	if (stayed < MIN_CLASS_SIZE)
		out.push(`only ${count(stayed)} customer${stayed === 1 ? '' : 's'} did not churn in the label window: too few for the goal verdict to mean much; use a shorter horizon`);
	return out;
}
