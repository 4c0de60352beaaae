// What whoever promotes a version is warned about: the one comparison behind the Models page's
// promote dialog and `cx promote` (both still promote; the baselines check is the only refusal).
import { readManifest, readMetadata, type MetricSummary } from './registry';

/** The fields the warnings read; a registry version's metadata and its Models-page view both have them. */
export interface PromoteSubject {
	version: string;
	definition?: string;
	horizon_days?: number;
	metrics?: Partial<MetricSummary> | null;
	baseline_metrics?: { recency?: Partial<MetricSummary>; rfm_logistic?: Partial<MetricSummary> } | null;
	/** The champion when the version was trained, on the version's own validation customers. */
	champion_comparison?: { version: string; metrics?: Partial<MetricSummary> } | null;
}

export interface PromoteWarning {
	/** target: another churn definition or horizon than the champion's; ranks-worse: below the champion of its time on the same customers; baselines: does not beat them. */
	kind: 'target' | 'ranks-worse' | 'baselines';
	message: string;
}

const f4 = (x: number) => x.toFixed(4);
const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const target = (v: PromoteSubject) =>
	`${v.definition ?? 'unknown'} churn within ${v.horizon_days ?? '?'} days`;

/** Warnings for promoting `candidate` over the current `champion` (null when there is none), most serious first. */
export function promoteWarnings(
	candidate: PromoteSubject,
	champion: PromoteSubject | null
): PromoteWarning[] {
	const out: PromoteWarning[] = [];
	if (champion && champion.version !== candidate.version) {
		const differs = [
			candidate.definition !== champion.definition && 'churn definition',
			candidate.horizon_days !== champion.horizon_days && 'horizon'
		].filter((s): s is string => typeof s === 'string');
		if (differs.length) {
			out.push({
				kind: 'target',
				message:
					`${candidate.version} predicts ${target(candidate)}, the champion ${champion.version} ${target(champion)} (another ${differs.join(' and ')}): ` +
					`promoting it changes what every customer's P(churn) means, and its figures were measured on other labels than ${champion.version}'s`
			});
		}
	}
	const own = candidate.metrics?.auc;
	const cc = candidate.champion_comparison;
	const then = cc?.metrics?.auc;
	if (cc && isNum(own) && isNum(then) && own < then) {
		out.push({
			kind: 'ranks-worse',
			message: `${candidate.version} ranks its validation customers worse than ${cc.version} did (ROC-AUC ${f4(own)} vs ${f4(then)} on the same customers)`
		});
	}
	const r = candidate.baseline_metrics?.recency?.auc;
	const rfm = candidate.baseline_metrics?.rfm_logistic?.auc;
	if (!isNum(own) || !isNum(r) || !isNum(rfm)) {
		out.push({
			kind: 'baselines',
			message: `${candidate.version} has no metrics to compare with the baselines; promoting it overrides that check`
		});
	} else if (own <= Math.max(r, rfm)) {
		out.push({
			kind: 'baselines',
			message: `${candidate.version} does not beat the baselines on ROC-AUC (${f4(own)} vs recency ${f4(r)}, RFM ${f4(rfm)}); promoting it overrides that check`
		});
	}
	return out;
}

/** The warnings for promoting a registry version now (before the promotion: the champion it replaces). */
export function promoteWarningsFor(modelsDir: string, version: string): PromoteWarning[] {
	const champion = readManifest(modelsDir).champion;
	const candidate = readMetadata(modelsDir, version);
	if (!champion || champion === version) return promoteWarnings(candidate, null);
	try {
		return promoteWarnings(candidate, readMetadata(modelsDir, champion));
	} catch (e) {
		// A champion whose metadata is missing or unreadable is a reason to replace it, not to refuse.
		const why = e instanceof Error ? e.message : String(e);
		return [
			{ kind: 'target', message: `cannot compare with the champion ${champion}: ${why}` },
			...promoteWarnings(candidate, null)
		];
	}
}
