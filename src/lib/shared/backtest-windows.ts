// The days a backtest at cutoff T with horizon H fits, scores and judges on, in the words the Models page's
// results and `cx backtest` both use, so the page and the command line name the same days the same way.
import { DAY_MS } from './cutoff-range';

/** YYYY-MM-DD plus n days (n may be negative). */
export function addDays(day: string, n: number): string {
	return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/**
 * The days a backtest at cutoff T with horizon H uses (backtest.ts: features end at the close of day T):
 * fitted on features up to day T − H with churn labelled on the H days after it, scored on features up to
 * day T, judged on the H days after T. Days are inclusive.
 */
export function backtestWindows(cutoff: string, horizonDays: number) {
	return {
		trainFeaturesTo: addDays(cutoff, -horizonDays),
		trainLabels: { from: addDays(cutoff, 1 - horizonDays), to: cutoff },
		scoredTo: cutoff,
		judged: { from: addDays(cutoff, 1), to: addDays(cutoff, horizonDays) }
	};
}

/** "Fitted at T − H: features up to 2026-11-15, churn labelled 2026-11-16 to 2026-11-22." */
export function fittedAtText(cutoff: string, horizonDays: number): string {
	const w = backtestWindows(cutoff, horizonDays);
	return `Fitted at T − H: features up to ${w.trainFeaturesTo}, churn labelled ${w.trainLabels.from} to ${w.trainLabels.to}.`;
}

/** "judged on 2026-11-23 to 2026-11-29 (7 days)." */
export function judgedOnText(cutoff: string, horizonDays: number): string {
	const w = backtestWindows(cutoff, horizonDays);
	return `judged on ${w.judged.from} to ${w.judged.to} (${horizonDays} day${horizonDays === 1 ? '' : 's'})`;
}
