import { describe, expect, it } from 'vitest';
import { formMessage } from '$lib/components/alerts/form-errors';
import type { BacktestDefaultsJson, BacktestProgressJson, BacktestRunJson, BacktestSummary } from '$lib/shared/backtest-json';
import {
	addDays,
	BACKTEST_WORDING,
	backtestRequest,
	backtestWindows,
	bestBaseline,
	bestScores,
	cancelledBy,
	curvePoints,
	cutoffHint,
	cutoffHintText,
	defaultRun,
	doneText,
	fmtSigned,
	goalCheck,
	goalFromReport,
	goalText,
	listWarningText,
	phaseText,
	populationText,
	progressFigures,
	progressPercent,
	reportFilename,
	scoresFilename,
	warningLines
} from './backtest-view';

const defaults: BacktestDefaultsJson = {
	cutoff: '2011-09-09',
	horizon_days: 91,
	churn_definition: 'auto',
	latest_cutoff: '2011-09-09',
	earliest_cutoff: '2011-04-27',
	first_event_day: '2010-12-01',
	last_event_day: '2011-12-09',
	first_event_at: '2010-12-01T08:26:00.000Z',
	last_event_at: '2011-12-09T12:50:00.000Z'
};
const NOW = Date.parse('2026-12-07T01:10:00Z');

const metrics = (auc: number, pr_auc: number, brier = 0.2, ece = 0.05, lift_at_10 = 1.5): BacktestSummary => ({ auc, pr_auc, brier, ece, lift_at_10 });

class RunBuilder {
	private run: BacktestRunJson = {
		id: 'b1',
		started_at: '2026-12-06T21:40:00.000Z',
		finished_at: '2026-12-06T21:42:00.000Z',
		state: 'succeeded',
		started_by: 'ana',
		cutoff: '2011-09-09',
		horizon_days: 91,
		churn_definition: 'inactivity',
		error: null,
		cancelled_by: null,
		population: 3370,
		churned: 1449,
		summary: { model: metrics(0.735, 0.6268), recency: metrics(0.6833, 0.592), rfm_logistic: metrics(0.7354, 0.6241) },
		has_scores: true,
		warnings: [],
		cancelled_not_scored: null
	};
	withId(id: string) {
		this.run.id = id;
		return this;
	}
	withState(state: BacktestRunJson['state']) {
		this.run.state = state;
		if (state !== 'succeeded') this.run = { ...this.run, summary: null, population: null, churned: null, has_scores: false, warnings: [], cancelled_not_scored: null };
		return this;
	}
	withWarnings(...warnings: string[]) {
		this.run.warnings = warnings;
		return this;
	}
	build(): BacktestRunJson {
		return { ...this.run };
	}
}
const aRun = () => new RunBuilder();

const progress = (phase: BacktestProgressJson['phase'], extra: Partial<BacktestProgressJson> = {}): BacktestProgressJson => ({
	runId: 'b1',
	phase,
	epoch: null,
	epochs: null,
	loss: null,
	valLoss: null,
	message: null,
	...extra
});

describe('days', () => {
	it('adds days across month and year ends', () => {
		expect(addDays('2011-09-09', 91)).toBe('2011-12-09');
		expect(addDays('2011-12-31', 1)).toBe('2012-01-01');
		expect(addDays('2012-03-01', -1)).toBe('2012-02-29');
	});

	it('the cutoff range comes from the shared rule for whatever horizon is typed', () => {
		expect(cutoffHint(defaults, 91, NOW)).toEqual({ kind: 'range', horizonDays: 91, earliest: '2011-04-27', latest: '2011-09-09' });
		// 30 days: the latest is the last event's day minus 30, the earliest 28 + 28 + 30 − 1 days after the first event.
		expect(cutoffHint(defaults, 30, NOW)).toEqual({ kind: 'range', horizonDays: 30, earliest: '2011-02-25', latest: '2011-11-09' });
		expect(cutoffHintText(cutoffHint(defaults, 30, NOW))).toBe('For a 30-day horizon: 2011-02-25 to 2011-11-09.');
	});

	it('a live system’s today does not count as observed', () => {
		const live = { ...defaults, first_event_at: '2026-06-10T00:00:00.000Z', last_event_at: '2026-12-07T00:53:00.000Z' };
		expect(cutoffHint(live, 30, NOW)).toMatchObject({ kind: 'range', earliest: '2026-09-03', latest: '2026-11-06' });
	});

	it('too short a history for the horizon: says so and names the longest that works', () => {
		const short = { ...defaults, first_event_at: '2026-01-01T00:00:00.000Z', last_event_at: '2026-03-31T10:00:00.000Z' };
		const h = cutoffHint(short, 40, NOW);
		expect(h).toEqual({ kind: 'too-short', horizonDays: 40, longest: 20 });
		expect(cutoffHintText(h)).toBe('The data is too short for a 40-day horizon: the longest that works is 20 days.');
		const tiny = { ...defaults, first_event_at: '2026-12-01T00:00:00.000Z', last_event_at: '2026-12-06T10:00:00.000Z' };
		expect(cutoffHintText(cutoffHint(tiny, 7, NOW))).toBe('The data is too short for any horizon yet: a backtest needs at least 28 days of history before its first training snapshot, and the days after the cutoff to judge.');
	});

	it('no range while the horizon is not a whole number of days, 1 or more, or there are no events', () => {
		for (const h of [0, null, undefined, 2.5, -3]) expect(cutoffHint(defaults, h, NOW)).toEqual({ kind: 'none' });
		expect(cutoffHintText({ kind: 'none' })).toBe('');
		expect(cutoffHint({ ...defaults, first_event_at: null, last_event_at: null }, 30, NOW)).toEqual({ kind: 'none' });
	});

	it('windows: fitted at T − H, scored at T, judged on the H days after T', () => {
		expect(backtestWindows('2011-09-09', 91)).toEqual({
			trainFeaturesTo: '2011-06-10',
			trainLabels: { from: '2011-06-11', to: '2011-09-09' },
			scoredTo: '2011-09-09',
			judged: { from: '2011-09-10', to: '2011-12-09' }
		});
	});
});

describe('the form’s request', () => {
	it('sends what was entered; an empty cutoff or epochs is left to the server', () => {
		expect(backtestRequest({ cutoff: '2011-09-09', horizonDays: 91, definition: 'auto', epochs: 2 })).toEqual({
			ok: true,
			body: { cutoff: '2011-09-09', horizon_days: 91, churn_definition: 'auto', epochs: 2 }
		});
		expect(backtestRequest({ cutoff: ' ', horizonDays: 30, definition: 'inactivity', epochs: null })).toEqual({
			ok: true,
			body: { horizon_days: 30, churn_definition: 'inactivity' }
		});
	});

	it('refuses what the browser can tell is wrong, per field', () => {
		const r = backtestRequest({ cutoff: '9/9/2011', horizonDays: null, definition: 'auto', epochs: 0.5 });
		expect(r.ok).toBe(false);
		if (r.ok) return;
		expect(Object.keys(r.errors).sort()).toEqual(['cutoff', 'epochs', 'horizon_days']);
		expect(r.errors.horizon_days).toMatch(/^Horizon must be a whole number of days/);
		expect(backtestRequest({ cutoff: '', horizonDays: 0, definition: 'auto', epochs: undefined }).ok).toBe(false);
	});

	it('refuses a half-typed or impossible cutoff instead of running at the latest cutoff that works', () => {
		// The browser's value for 02/30/2026 or a date without its year is "", as for an empty field.
		const r = backtestRequest({ cutoff: '', cutoffIncomplete: true, horizonDays: 30, definition: 'auto', epochs: null });
		expect(r).toEqual({
			ok: false,
			errors: { cutoff: 'Not a complete date: type day, month and year, or clear the field for the latest cutoff that works' }
		});
		expect(backtestRequest({ cutoff: '', cutoffIncomplete: false, horizonDays: 30, definition: 'auto', epochs: null })).toEqual({
			ok: true,
			body: { horizon_days: 30, churn_definition: 'auto' }
		});
	});

	it('the server’s messages speak of the form’s labels', () => {
		expect(formMessage('horizon_days', 'horizon_days must be an integer from 1 to 365', BACKTEST_WORDING)).toBe('Horizon must be an integer from 1 to 365');
		expect(formMessage('cutoff', 'the labels need events up to 2012-03-01 (cutoff 2011-12-01 + 91 days). The latest cutoff that works for a 91-day horizon is 2011-09-09', BACKTEST_WORDING)).toBe(
			'The labels need events up to 2012-03-01 (cutoff 2011-12-01 + 91 days). The latest cutoff that works for a 91-day horizon is 2011-09-09'
		);
	});
});

describe('progress', () => {
	it('reads validation ROC-AUC and the time left from the training message', () => {
		expect(progressFigures('val_auc 0.812, eta 42 s')).toEqual({ valAuc: 0.812, etaSeconds: 42 });
		expect(progressFigures('val_auc 0.7, eta 3.5 s')).toEqual({ valAuc: 0.7, etaSeconds: 3.5 });
		expect(progressFigures(null)).toEqual({ valAuc: null, etaSeconds: null });
	});

	it('fills the bar through the phases; nothing yet is an indeterminate bar', () => {
		expect(progressPercent(null)).toBeUndefined();
		const steps = [
			progressPercent(progress('features')),
			progressPercent(progress('training', { epoch: 1, epochs: 4 })),
			progressPercent(progress('training', { epoch: 4, epochs: 4 })),
			progressPercent(progress('evaluating')),
			progressPercent(progress('done'))
		] as number[];
		expect(steps.every((s, i) => i === 0 || s > steps[i - 1])).toBe(true);
		expect(steps.at(-1)).toBe(100);
		expect(progressPercent(progress('failed'))).toBe(0);
	});

	it('says the phase in words', () => {
		expect(phaseText(null)).toMatch(/Waiting/);
		expect(phaseText(progress('training', { epoch: 3, epochs: 20 }))).toBe('Fitting at T − H: epoch 3 of 20');
		// The server's done message has 4 decimals: the panel says its own, in the precision of its tables.
		expect(phaseText(progress('done', { message: 'ROC-AUC 0.7350 against the best baseline’s 0.7354' }))).toBe('✓ Done.');
		expect(phaseText(progress('failed', { message: 'no customers' }))).toBe('⚠ Failed: no customers');
	});

	it('names who cancelled', () => {
		expect(cancelledBy('cancelled by ana')).toBe('ana');
		expect(cancelledBy('key:ops cancelled it')).toBeNull();
		expect(cancelledBy(null)).toBeNull();
	});
});

describe('results', () => {
	const s = aRun().build().summary!;

	it('marks the best score per metric; Brier and ECE are better lower; ties all count', () => {
		const tied = { ...s, recency: metrics(0.6833, 0.592, 0.19, 0.01, 1.55), rfm_logistic: metrics(0.7354, 0.6241, 0.25, 0.01, 1.55) };
		const best = bestScores(tied);
		expect(best.auc).toEqual(['rfm_logistic']);
		expect(best.pr_auc).toEqual(['model']);
		expect(best.brier).toEqual(['recency']);
		expect(best.ece).toEqual(['recency', 'rfm_logistic']);
		expect(best.lift_at_10).toEqual(['recency', 'rfm_logistic']);
		expect(bestScores({ ...s, model: metrics(NaN, 0.6) }).auc).toEqual(['rfm_logistic']);
	});

	it('goal: model − better baseline ≥ 0.03 on both ROC-AUC and PR-AUC', () => {
		expect(bestBaseline(s, 'auc')).toEqual({ name: 'rfm_logistic', value: 0.7354 });
		const g = goalCheck(s);
		expect(g.auc).toBeCloseTo(-0.0004, 6);
		expect(g.pr_auc).toBeCloseTo(0.0027, 6);
		expect(g.met).toBe(false);
		// 0.83 − 0.80 is 0.0299… in floating point: still the goal.
		expect(goalCheck({ model: metrics(0.83, 0.7), recency: metrics(0.8, 0.6), rfm_logistic: metrics(0.5, 0.67) }).met).toBe(true);
		expect(goalCheck({ model: metrics(0.83, 0.69), recency: metrics(0.8, 0.6), rfm_logistic: metrics(0.5, 0.67) }).met).toBe(false);
	});

	it('goal: the report’s verdict when it has one, else the summary’s', () => {
		const report = { goal: { min_margin: 0.03, auc_margin: 0.041, pr_auc_margin: 0.01, met: false } };
		expect(goalFromReport(report, s)).toEqual({ auc: 0.041, pr_auc: 0.01, met: false, margin: 0.03 });
		expect(goalFromReport(null, s)).toEqual({ ...goalCheck(s), margin: 0.03 });
		expect(goalFromReport({ goal: 'yes' }, s)).toEqual({ ...goalCheck(s), margin: 0.03 });
	});

	it('goal in words: which part falls short, in AUC points, with no pointer users cannot open', () => {
		const missed = goalText({ auc: 0.041, pr_auc: 0.01, met: false, margin: 0.03 });
		expect(missed.verdict).toBe('✗ not met: PR-AUC +0.010 is under +0.03');
		expect(missed.rule).toBe('The project’s goal: the model beats the better baseline by at least 0.03 AUC points on both ROC-AUC and PR-AUC.');
		expect(missed.rule).not.toMatch(/DESIGN/);
		expect(goalText({ auc: -0.0004, pr_auc: 0.0027, met: false, margin: 0.03 }).verdict).toBe('✗ not met: ROC-AUC ±0.000 and PR-AUC +0.003 are under +0.03');
		expect(goalText({ auc: 0.05, pr_auc: 0.03, met: true, margin: 0.03 }).verdict).toBe('✓ met: ROC-AUC +0.050 and PR-AUC +0.030');
	});

	it('says the report’s warnings with the goal verdict, in words with a sign, and notes them in the list', () => {
		const few = 'only 6 churned customers in the label window: too few for the goal verdict to mean much; use a longer horizon or an earlier cutoff';
		const stayed = 'only 4 customers did not churn in the label window: too few for the goal verdict to mean much; use a shorter horizon';
		const run = aRun().withWarnings(few, stayed).build();
		expect(warningLines(run)).toEqual([
			'⚠ Only 6 churned customers in the label window: too few for the goal verdict to mean much; use a longer horizon or an earlier cutoff',
			'⚠ Only 4 customers did not churn in the label window: too few for the goal verdict to mean much; use a shorter horizon'
		]);
		expect(listWarningText(run)).toBe('⚠ 2 warnings about its goal verdict (shown with its results)');
		expect(listWarningText(aRun().withWarnings(few).build())).toBe('⚠ a warning about its goal verdict (shown with its results)');
		expect(warningLines(aRun().build())).toEqual([]);
		expect(listWarningText(aRun().build())).toBeNull();
	});

	it('the done line in the tables’ precision', () => {
		expect(doneText(aRun().build())).toBe('✓ Done: model ROC-AUC 0.735 against the better baseline’s 0.735 (RFM logistic), PR-AUC 0.627 against 0.624; the results are below.');
		expect(doneText(null)).toBe('✓ Done; the results are below.');
	});

	it('signed differences', () => {
		expect(fmtSigned(0.0312)).toBe('+0.031');
		expect(fmtSigned(-0.0004)).toBe('±0.000');
		expect(fmtSigned(-0.012)).toBe('−0.012');
		expect(fmtSigned(NaN)).toBe('—');
	});

	it('shows the newest succeeded run by default', () => {
		const runs = [aRun().withId('b3').withState('running').build(), aRun().withId('b2').withState('failed').build(), aRun().withId('b1').build()];
		expect(defaultRun(runs)?.id).toBe('b1');
		expect(defaultRun(runs.slice(0, 2))).toBeNull();
	});

	it('names the report file (cutoff, horizon, definition, run) and the population', () => {
		expect(reportFilename(aRun().withId('0f3c9a12-77aa-4c1e-9d2b-5e8f00000000').build())).toBe('backtest-2011-09-09-91d-inactivity-0f3c9a12.json');
		// The CSV link's name is the server's (scores.csv/+server.ts), so browsers agree whichever they use.
		expect(scoresFilename(aRun().withId('0f3c9a12-77aa-4c1e-9d2b-5e8f00000000').build())).toBe('backtest-2011-09-09-91d-0f3c9a12.csv');
		expect(populationText(3370, 1449)).toBe('3,370 customers judged, 1,449 churned (43.0 %)');
		expect(populationText(4519, 244)).toBe('4,519 customers judged, 244 churned (5.4 %)');
		expect(populationText(1, 0)).toBe('1 customer judged, 0 churned (0.0 %)');
		expect(populationText(null, null)).toBe('population not recorded');
	});

	it('draws recorded curves as the versions’ charts do', () => {
		const c = curvePoints({
			roc: [
				{ fpr: 0, tpr: 0 },
				{ fpr: 1, tpr: 1 }
			],
			pr: [
				{ recall: 0, precision: 0 },
				{ recall: 0.5, precision: 0.8 }
			],
			reliability: [
				{ lo: 0, hi: 0.1, n: 0, mean_predicted: null, fraction_positive: null },
				{ lo: 0.1, hi: 0.2, n: 5, mean_predicted: 0.15, fraction_positive: 0.2 }
			],
			lift: [{ fraction: 0.1, lift: 1.5 }]
		});
		expect(c.roc).toEqual([
			{ x: 0, y: 0 },
			{ x: 1, y: 1 }
		]);
		expect(c.pr).toEqual([{ x: 0.5, y: 0.8 }]);
		expect(c.reliability).toEqual([{ x: 0.15, y: 0.2 }]);
		expect(c.lift).toEqual([{ x: 10, y: 1.5 }]);
	});
});
