// What the Models page's Backtest panel shows, as pure functions: the form's request and its errors in the
// form's words, the progress of a running backtest, the results table's best values and the project's
// goal, and the windows a backtest fits and judges on, in days.
import type { FormWording } from '$lib/components/alerts/form-errors';
import { incompleteDateMessage } from '$lib/components/ui/incomplete-date';
import { GOAL_MARGIN, type BacktestCurvesJson, type BacktestDefaultsJson, type BacktestProgressJson, type BacktestRunJson, type BacktestSummary } from '$lib/shared/backtest-json';
import { cutoffRange, longestHorizonDays, MIN_SNAPSHOT_HISTORY_DAYS } from '$lib/shared/cutoff-range';
import { prPoints } from './curve-points';
import { fmtSigned } from './format';

// The windows are shared with `cx backtest` (its log and summary name the same days).
export { addDays, backtestWindows } from '$lib/shared/backtest-windows';
// With the other formatters (format.ts), where `cx backtest` takes it from too.
export { fmtSigned };

export type Definition = BacktestDefaultsJson['churn_definition'];
export const DEFINITIONS: readonly { id: Definition; label: string }[] = [
	{ id: 'auto', label: 'auto' },
	{ id: 'inactivity', label: 'inactivity' },
	{ id: 'cancellation', label: 'cancellation' }
];

const wholeAtLeastOne = (n: number | null | undefined): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 1;

export type CutoffHint =
	| { kind: 'none' }
	| { kind: 'range'; horizonDays: number; earliest: string; latest: string }
	| { kind: 'too-short'; horizonDays: number; longest: number };

/**
 * The cutoffs that work for the horizon typed, by the server's own rule (shared/cutoff-range.ts), so the
 * form never offers one the server refuses. Nothing while the horizon is not a valid one: a range "for a
 * 0-day horizon" would be nonsense.
 */
export function cutoffHint(d: BacktestDefaultsJson, horizonDays: number | null | undefined, nowMs: number): CutoffHint {
	if (!wholeAtLeastOne(horizonDays) || !d.first_event_at || !d.last_event_at) return { kind: 'none' };
	const span = { firstEventMs: Date.parse(d.first_event_at), lastEventMs: Date.parse(d.last_event_at), nowMs };
	const range = cutoffRange({ ...span, horizonDays });
	if (range) return { kind: 'range', horizonDays, ...range };
	return { kind: 'too-short', horizonDays, longest: longestHorizonDays(span) };
}

export function cutoffHintText(h: CutoffHint): string {
	switch (h.kind) {
		case 'none':
			return '';
		case 'range':
			return `For a ${h.horizonDays}-day horizon: ${h.earliest} to ${h.latest}.`;
		case 'too-short':
			return h.longest > 0
				? `The data is too short for a ${h.horizonDays}-day horizon: the longest that works is ${h.longest} day${h.longest === 1 ? '' : 's'}.`
				: `The data is too short for any horizon yet: a backtest needs at least ${MIN_SNAPSHOT_HISTORY_DAYS} days of history before its first training snapshot, and the days after the cutoff to judge.`;
	}
}

export interface BacktestFormValues {
	cutoff: string;
	/** The cutoff input holds a date the browser cannot read (its value is "" then, as when empty). */
	cutoffIncomplete?: boolean;
	/** From number inputs: null (or undefined) when empty. */
	horizonDays: number | null | undefined;
	definition: Definition;
	epochs: number | null | undefined;
}

export type BacktestRequest = { cutoff?: string; horizon_days: number; churn_definition: Definition; epochs?: number };

// "cutoff" is both the API's name and the label's word: a message that says "the latest cutoff" reads right as it is.
export const BACKTEST_WORDING: FormWording = {
	labels: { horizon_days: 'Horizon', churn_definition: 'Churn definition', epochs: 'Epochs' }
};
/** The API's fields this form has a place for; other field errors are listed in the summary. */
export const BACKTEST_FIELDS = ['cutoff', 'horizon_days', 'churn_definition', 'epochs'] as const;

/**
 * The POST body, or the fields a browser can already tell are wrong (a number input's value is null when
 * what was typed is not a number). Whether the cutoff leaves room for the horizon is the server's call: it
 * knows the data and names the latest cutoff that works.
 */
export function backtestRequest(v: BacktestFormValues): { ok: true; body: BacktestRequest } | { ok: false; errors: Record<string, string> } {
	const errors: Record<string, string> = {};
	const cutoff = v.cutoff.trim();
	if (v.cutoffIncomplete) errors.cutoff = incompleteDateMessage('the latest cutoff that works');
	else if (cutoff && !/^\d{4}-\d{2}-\d{2}$/.test(cutoff)) errors.cutoff = 'Cutoff must be a date (YYYY-MM-DD)';
	if (!wholeAtLeastOne(v.horizonDays)) errors.horizon_days = 'Horizon must be a whole number of days, 1 or more';
	const epochsGiven = v.epochs !== null && v.epochs !== undefined;
	if (epochsGiven && !wholeAtLeastOne(v.epochs)) errors.epochs = 'Epochs must be a whole number, 1 or more (or empty for the default)';
	if (Object.keys(errors).length) return { ok: false, errors };
	return {
		ok: true,
		body: {
			...(cutoff ? { cutoff } : {}),
			horizon_days: v.horizonDays as number,
			churn_definition: v.definition,
			...(epochsGiven ? { epochs: v.epochs as number } : {})
		}
	};
}

export const PROGRESS_ENDS: readonly BacktestProgressJson['phase'][] = ['done', 'failed', 'cancelled'];
export const isEnd = (p: BacktestProgressJson | null): boolean => p !== null && PROGRESS_ENDS.includes(p.phase);

/** The training event's message carries validation ROC-AUC and the time left ("val_auc 0.812, eta 42 s"). */
export function progressFigures(message: string | null): { valAuc: number | null; etaSeconds: number | null } {
	const auc = message ? /val_auc ([\d.]+)/.exec(message) : null;
	const eta = message ? /eta (\d+(?:\.\d+)?) s/.exec(message) : null;
	return { valAuc: auc ? Number(auc[1]) : null, etaSeconds: eta ? Number(eta[1]) : null };
}

/**
 * How far the run is, 0–100, for the progress bar; undefined while nothing says (an indeterminate bar).
 * Training takes nearly all of a backtest, so epochs fill 5–90 %; features before, evaluation after.
 */
export function progressPercent(p: BacktestProgressJson | null): number | undefined {
	if (p === null) return undefined;
	switch (p.phase) {
		case 'features':
			return 2;
		case 'training':
			return p.epoch && p.epochs ? Math.round(5 + (85 * Math.min(p.epoch, p.epochs)) / p.epochs) : 5;
		case 'evaluating':
			return 95;
		case 'done':
			return 100;
		default:
			return 0;
	}
}

/** The phase in words, for the progress bar's label. */
export function phaseText(p: BacktestProgressJson | null): string {
	if (p === null) return 'Waiting for the backtest process…';
	switch (p.phase) {
		case 'features':
			return 'Reading features…';
		case 'training':
			return p.epoch && p.epochs ? `Fitting at T − H: epoch ${p.epoch} of ${p.epochs}` : 'Fitting at T − H…';
		case 'evaluating':
			return 'Scoring at T and judging the horizon…';
		case 'done':
			// Not the server's message: its figures have 4 decimals, the panel's 3 (doneText says them).
			return '✓ Done.';
		case 'failed':
			return `⚠ Failed: ${p.message ?? 'no reason given'}`;
		case 'cancelled':
			return 'Cancelled; no results were kept.';
	}
}

/** Who cancelled, from the cancelled event's message ("cancelled by ana"). */
export function cancelledBy(message: string | null): string | null {
	if (!message) return null;
	return /^cancelled by (.+)$/.exec(message.trim())?.[1] ?? null;
}

export type ScoreName = 'model' | 'recency' | 'rfm_logistic';
export const SCORE_LABELS: Record<ScoreName, string> = { model: 'Model', recency: 'Recency', rfm_logistic: 'RFM logistic' };
export const SCORES: readonly ScoreName[] = ['model', 'recency', 'rfm_logistic'];

export type MetricName = keyof BacktestSummary;
export const METRICS: readonly { id: MetricName; label: string; lowerIsBetter: boolean }[] = [
	{ id: 'auc', label: 'ROC-AUC', lowerIsBetter: false },
	{ id: 'pr_auc', label: 'PR-AUC', lowerIsBetter: false },
	{ id: 'brier', label: 'Brier', lowerIsBetter: true },
	{ id: 'ece', label: 'ECE', lowerIsBetter: true },
	{ id: 'lift_at_10', label: 'Lift at top 10 %', lowerIsBetter: false }
];

type Summaries = NonNullable<BacktestRunJson['summary']>;

/** Per metric, the scores with the best value (ties all count; a metric no score has a number for has none). */
export function bestScores(s: Summaries): Record<MetricName, ScoreName[]> {
	const out = {} as Record<MetricName, ScoreName[]>;
	for (const m of METRICS) {
		const finite = SCORES.filter((k) => Number.isFinite(s[k][m.id]));
		const values = finite.map((k) => s[k][m.id]);
		const best = values.length ? (m.lowerIsBetter ? Math.min(...values) : Math.max(...values)) : NaN;
		out[m.id] = finite.filter((k) => s[k][m.id] === best);
	}
	return out;
}

/** The better baseline on a metric where higher is better, and its value. */
export function bestBaseline(s: Summaries, metric: 'auc' | 'pr_auc'): { name: ScoreName; value: number } {
	return s.rfm_logistic[metric] >= s.recency[metric] ? { name: 'rfm_logistic', value: s.rfm_logistic[metric] } : { name: 'recency', value: s.recency[metric] };
}

/** Model − better baseline on ROC-AUC and PR-AUC, and whether both reach the goal margin (for runs whose report has no `goal`). */
export function goalCheck(s: Summaries): { auc: number; pr_auc: number; met: boolean } {
	const auc = s.model.auc - bestBaseline(s, 'auc').value;
	const pr_auc = s.model.pr_auc - bestBaseline(s, 'pr_auc').value;
	// Floating-point subtraction must not decide: 0.83 − 0.80 is 0.029999999999999916.
	const reaches = (d: number) => Math.round(d * 1e6) >= Math.round(GOAL_MARGIN * 1e6);
	return { auc, pr_auc, met: reaches(auc) && reaches(pr_auc) };
}

export interface GoalView {
	auc: number;
	pr_auc: number;
	met: boolean;
	margin: number;
}

/** The report's own verdict (backtest.ts writes `goal`) when it has one, else the one worked out from the figures. */
export function goalFromReport(report: Record<string, unknown> | null | undefined, s: Summaries): GoalView {
	const g = report?.goal as Record<string, unknown> | undefined;
	if (g && typeof g === 'object' && typeof g.auc_margin === 'number' && typeof g.pr_auc_margin === 'number' && typeof g.met === 'boolean' && typeof g.min_margin === 'number') {
		return { auc: g.auc_margin, pr_auc: g.pr_auc_margin, met: g.met, margin: g.min_margin };
	}
	return { ...goalCheck(s), margin: GOAL_MARGIN };
}

const fmtMargin = (m: number) => `+${Number(m.toFixed(3))}`;
const joinAnd = (xs: string[]) => xs.join(' and ');

/** The goal in words: the rule, and the verdict naming which of the two falls short. */
export function goalText(g: GoalView): { rule: string; verdict: string } {
	const rule = `The project’s goal: the model beats the better baseline by at least ${Number(g.margin.toFixed(3))} AUC points on both ROC-AUC and PR-AUC.`;
	const parts = [
		{ label: 'ROC-AUC', d: g.auc },
		{ label: 'PR-AUC', d: g.pr_auc }
	];
	if (g.met) return { rule, verdict: `✓ met: ${joinAnd(parts.map((p) => `${p.label} ${fmtSigned(p.d)}`))}` };
	const short = parts.filter((p) => !(Math.round(p.d * 1e6) >= Math.round(g.margin * 1e6)));
	// A verdict of "not met" with both parts above the margin cannot come from backtest.ts; say what is known.
	if (short.length === 0) return { rule, verdict: `✗ not met: ROC-AUC ${fmtSigned(g.auc)}, PR-AUC ${fmtSigned(g.pr_auc)}` };
	const words = joinAnd(short.map((p) => `${p.label} ${fmtSigned(p.d)}`));
	return { rule, verdict: `✗ not met: ${words} ${short.length === 1 ? 'is' : 'are'} under ${fmtMargin(g.margin)}` };
}

/**
 * The report's warnings as the results say them, next to the goal verdict they qualify: "⚠ Only 6 churned
 * customers in the label window: …". The sign and the words carry it, not the colour.
 */
export function warningLines(run: Pick<BacktestRunJson, 'warnings'>): string[] {
	return (run.warnings ?? []).map((w) => `⚠ ${w.charAt(0).toUpperCase()}${w.slice(1)}`);
}

/** The recent backtests' note on a run with warnings: their words are in its results. */
export function listWarningText(run: Pick<BacktestRunJson, 'warnings'>): string | null {
	const n = run.warnings?.length ?? 0;
	if (n === 0) return null;
	return `⚠ ${n === 1 ? 'a warning' : `${n} warnings`} about its goal verdict (shown with its results)`;
}

/** The line a finished run ends the progress with, in the results' precision (3 decimals). */
export function doneText(run: Pick<BacktestRunJson, 'summary'> | null): string {
	const s = run?.summary;
	if (!s) return '✓ Done; the results are below.';
	const auc = bestBaseline(s, 'auc');
	const pr = bestBaseline(s, 'pr_auc');
	return `✓ Done: model ROC-AUC ${s.model.auc.toFixed(3)} against the better baseline’s ${auc.value.toFixed(3)} (${SCORE_LABELS[auc.name]}), PR-AUC ${s.model.pr_auc.toFixed(3)} against ${pr.value.toFixed(3)}; the results are below.`;
}


/** The run the results show when none is picked: the newest that succeeded (the list is newest first). */
export function defaultRun(runs: readonly BacktestRunJson[]): BacktestRunJson | null {
	return runs.find((r) => r.state === 'succeeded') ?? null;
}

/**
 * The report download's name, e.g. backtest-2011-09-09-91d-inactivity-0f3c9a12.json: two runs of one cutoff
 * and horizon (another definition, or again) must not overwrite each other. The scores CSV is named likewise
 * by the server (scores.csv/+server.ts).
 */
export const reportFilename = (r: Pick<BacktestRunJson, 'cutoff' | 'horizon_days' | 'churn_definition' | 'id'>): string =>
	`backtest-${r.cutoff}-${r.horizon_days}d-${r.churn_definition}-${r.id.slice(0, 8)}.json`;

/** The scores CSV's name as the server's content-disposition gives it, so the link's `download` agrees. */
export const scoresFilename = (r: Pick<BacktestRunJson, 'cutoff' | 'horizon_days' | 'id'>): string => `backtest-${r.cutoff}-${r.horizon_days}d-${r.id.slice(0, 8)}.csv`;

/** "3,370 customers judged, 1,449 churned (43.0 %)": one decimal, as a churn share of 5.4 % is not 5 %. */
export function populationText(population: number | null, churned: number | null): string {
	if (population === null) return 'population not recorded';
	const n = `${population.toLocaleString('en-US')} customer${population === 1 ? '' : 's'} judged`;
	if (churned === null) return n;
	const pct = population > 0 ? ` (${((100 * churned) / population).toFixed(1)} %)` : '';
	return `${n}, ${churned.toLocaleString('en-US')} churned${pct}`;
}

type Point = { x: number; y: number };
export interface CurvePoints {
	roc: Point[];
	pr: Point[];
	reliability: Point[];
	/** x in % of customers targeted. */
	lift: Point[];
}

/** One score's recorded curves as the charts draw them (the versions' curves are drawn the same way). */
export function curvePoints(c: BacktestCurvesJson): CurvePoints {
	return {
		roc: c.roc.map((p) => ({ x: p.fpr, y: p.tpr })),
		pr: prPoints(c.pr),
		reliability: c.reliability
			.filter((b) => b.mean_predicted !== null && b.fraction_positive !== null && b.n > 0)
			.map((b) => ({ x: b.mean_predicted as number, y: b.fraction_positive as number })),
		lift: c.lift.map((p) => ({ x: p.fraction * 100, y: p.lift }))
	};
}
