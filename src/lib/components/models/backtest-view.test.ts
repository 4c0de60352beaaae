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
	defaultRun,
	earliestCutoffFor,
	fmtSigned,
	goalCheck,
	latestCutoffFor,
	phaseText,
	populationText,
	progressFigures,
	progressPercent,
	reportFilename
} from './backtest-view';

const defaults: BacktestDefaultsJson = {
	cutoff: '2011-09-09',
	horizon_days: 91,
	churn_definition: 'auto',
	latest_cutoff: '2011-09-09',
	first_event_day: '2010-12-01',
	last_event_day: '2011-12-09'
};

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
		has_scores: true
	};
	withId(id: string) {
		this.run.id = id;
		return this;
	}
	withState(state: BacktestRunJson['state']) {
		this.run.state = state;
		if (state !== 'succeeded') this.run = { ...this.run, summary: null, population: null, churned: null, has_scores: false };
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

	it('latest cutoff: the server’s for its default horizon, else the last event’s day minus the horizon', () => {
		expect(latestCutoffFor(defaults, 91)).toBe('2011-09-09');
		expect(latestCutoffFor(defaults, 30)).toBe('2011-11-09');
		expect(latestCutoffFor(defaults, null)).toBe('2011-09-09');
		expect(latestCutoffFor({ ...defaults, last_event_day: null, latest_cutoff: null }, 30)).toBeNull();
	});

	it('earliest cutoff: the fit at T − H needs events before it', () => {
		expect(earliestCutoffFor(defaults, 91)).toBe('2011-03-02');
		expect(earliestCutoffFor(defaults, null)).toBe('2010-12-01');
		expect(earliestCutoffFor({ ...defaults, first_event_day: null }, 91)).toBeNull();
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
		expect(phaseText(progress('done', { message: 'model ROC-AUC 0.735' }))).toBe('✓ Done: model ROC-AUC 0.735');
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

	it('names the report file and the population', () => {
		expect(reportFilename(aRun().build())).toBe('backtest-2011-09-09-91d.json');
		expect(populationText(3370, 1449)).toBe('3,370 customers judged, 1,449 churned (43 %)');
		expect(populationText(1, 0)).toBe('1 customer judged, 0 churned (0 %)');
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
