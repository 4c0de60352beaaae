// What the Models page's Backtest panel shows, as pure functions: the form's request and its errors in the
// form's words, the progress of a running backtest, the results table's best values and the goal of
// DESIGN §8, and the windows a backtest fits and judges on, in days.
import type { FormWording } from '$lib/components/alerts/form-errors';
import type { BacktestCurvesJson, BacktestDefaultsJson, BacktestProgressJson, BacktestRunJson, BacktestSummary } from '$lib/shared/backtest-json';
import { prPoints } from './curve-points';

const DAY_MS = 86_400_000;
/** DESIGN §8's goal, as the model card states it: the model beats the better baseline by this on ROC-AUC and PR-AUC. */
export const GOAL_MARGIN = 0.03;

export type Definition = BacktestDefaultsJson['churn_definition'];
export const DEFINITIONS: readonly { id: Definition; label: string }[] = [
	{ id: 'auto', label: 'auto' },
	{ id: 'inactivity', label: 'inactivity' },
	{ id: 'cancellation', label: 'cancellation' }
];

/** YYYY-MM-DD plus n days (n may be negative). */
export function addDays(day: string, n: number): string {
	return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/**
 * The latest cutoff whose judged days (the horizon after it) the data covers, for `horizonDays`: the
 * server's figure for its default horizon, else the last event's day minus the horizon (label-window.ts).
 */
export function latestCutoffFor(d: BacktestDefaultsJson, horizonDays: number | null): string | null {
	if (horizonDays === d.horizon_days || horizonDays === null || !Number.isInteger(horizonDays) || horizonDays < 1) return d.latest_cutoff;
	return d.last_event_day ? addDays(d.last_event_day, -horizonDays) : null;
}

/** The earliest cutoff whose fit at T − H has events before it: the first event's day plus the horizon (the server's rule). */
export function earliestCutoffFor(d: BacktestDefaultsJson, horizonDays: number | null): string | null {
	if (!d.first_event_day || horizonDays === null || !Number.isInteger(horizonDays) || horizonDays < 1) return d.first_event_day;
	return addDays(d.first_event_day, horizonDays);
}

export interface BacktestFormValues {
	cutoff: string;
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

const wholeAtLeastOne = (n: number | null | undefined): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 1;

/**
 * The POST body, or the fields a browser can already tell are wrong (a number input's value is null when
 * what was typed is not a number). Whether the cutoff leaves room for the horizon is the server's call: it
 * knows the data and names the latest cutoff that works.
 */
export function backtestRequest(v: BacktestFormValues): { ok: true; body: BacktestRequest } | { ok: false; errors: Record<string, string> } {
	const errors: Record<string, string> = {};
	const cutoff = v.cutoff.trim();
	if (cutoff && !/^\d{4}-\d{2}-\d{2}$/.test(cutoff)) errors.cutoff = 'Cutoff must be a date (YYYY-MM-DD)';
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
			return `✓ Done${p.message ? `: ${p.message}` : ''}`;
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

/** Model − better baseline on ROC-AUC and PR-AUC, and whether both reach the goal margin. */
export function goalCheck(s: Summaries): { auc: number; pr_auc: number; met: boolean } {
	const auc = s.model.auc - bestBaseline(s, 'auc').value;
	const pr_auc = s.model.pr_auc - bestBaseline(s, 'pr_auc').value;
	// Floating-point subtraction must not decide: 0.83 − 0.80 is 0.029999999999999916.
	const reaches = (d: number) => Math.round(d * 1e6) >= Math.round(GOAL_MARGIN * 1e6);
	return { auc, pr_auc, met: reaches(auc) && reaches(pr_auc) };
}

/** A signed difference to 3 decimals: "+0.012", "−0.004" (a real minus sign). */
export function fmtSigned(d: number): string {
	if (!Number.isFinite(d)) return '—';
	const r = d.toFixed(3);
	if (Number(r) === 0) return '±0.000';
	return d > 0 ? `+${r}` : `−${r.slice(1)}`;
}

/** The run the results show when none is picked: the newest that succeeded (the list is newest first). */
export function defaultRun(runs: readonly BacktestRunJson[]): BacktestRunJson | null {
	return runs.find((r) => r.state === 'succeeded') ?? null;
}

/** The report download's name, e.g. backtest-2011-09-09-91d.json. */
export const reportFilename = (r: Pick<BacktestRunJson, 'cutoff' | 'horizon_days'>): string => `backtest-${r.cutoff}-${r.horizon_days}d.json`;

/** "3,370 customers judged, 1,449 churned (43 %)". */
export function populationText(population: number | null, churned: number | null): string {
	if (population === null) return 'population not recorded';
	const n = `${population.toLocaleString('en-US')} customer${population === 1 ? '' : 's'} judged`;
	if (churned === null) return n;
	const pct = population > 0 ? ` (${Math.round((100 * churned) / population)} %)` : '';
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
