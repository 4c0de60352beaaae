import { describe, expect, it } from 'vitest';
import { WINDOWS } from '../../shared/format';
import { bucketOf } from './histogram';
import { findMetric, METRICS, type Counters, type MetricDefinition, type MetricInputs } from './definitions';
import { MIN_SAMPLE, sampleSize, tileCounts, tileVerdict, tooFewNote } from './verdict';

const metric = (id: string): MetricDefinition => {
	const m = findMetric(id);
	if (!m) throw new Error(`no metric ${id}`);
	return m;
};
const SLOW = bucketOf(40 * 3600);
const inputs = (c: Counters, frt: [bucket: number, n: number][] = []): MetricInputs => ({ c, frt: new Map(frt), res: new Map() });
/** The verdict on the value the metric computes from these inputs, its sample read from the tile's counts as tiles.ts reads it. */
const judge = (id: string, i: MetricInputs, window: (typeof WINDOWS)[number] = '24h') => {
	const m = metric(id);
	return tileVerdict(m, m.compute(i), tileCounts(m, i), window);
};

describe('tile verdict: minimum sample', () => {
	it('gives one solved ticket at 0 % no verdict, and says why with the sample in words', () => {
		expect(judge('fcr', inputs({ tickets_fcr: 0, tickets_solved: 1 }))).toEqual({
			state: 'unjudged',
			note: `too few to judge (1 solved ticket; ${MIN_SAMPLE} needed)`
		});
		expect(judge('csat', inputs({ csat_good: 0, csat_n: 2 }), '15m')).toEqual({
			state: 'unjudged',
			note: `too few to judge (2 CSAT ratings; ${MIN_SAMPLE} needed)`
		});
		// A percentile of one answered ticket, 40 h: past critical (24 h).
		expect(judge('frt_p90', inputs({}, [[SLOW, 1]]))).toEqual({
			state: 'unjudged',
			note: `too few to judge (1 answered ticket; ${MIN_SAMPLE} needed)`
		});
	});

	it('judges from the minimum on: ten solved tickets at 0 % are Critical', () => {
		expect(judge('fcr', inputs({ tickets_fcr: 0, tickets_solved: MIN_SAMPLE }))).toEqual({ state: 'critical', note: null });
		expect(judge('fcr', inputs({ tickets_fcr: 6, tickets_solved: MIN_SAMPLE }))).toEqual({ state: 'warn', note: null });
		expect(judge('frt_p90', inputs({}, [[SLOW, MIN_SAMPLE]]))).toEqual({ state: 'critical', note: null });
	});

	it('leaves no data as no data and metrics without thresholds as they were', () => {
		expect(judge('fcr', inputs({}))).toEqual({ state: 'nodata', note: null });
		expect(judge('active_customers', inputs({ active_customers: 1 }))).toEqual({ state: 'ok', note: null });
	});

	it('every metric with thresholds says what its sample is, and only those', () => {
		for (const m of METRICS) expect(m.sample !== undefined, m.id).toBe(m.thresholds !== null);
	});
});

describe('tile verdict: thresholds tied to their window', () => {
	const churn = inputs({ lost_customers: 9, active_at_start: 100 }); // 9 %: past critical (6 %)

	it('judges the churn rate only at the window its thresholds were set for', () => {
		expect(judge('churn_rate', churn, '30d')).toEqual({ state: 'critical', note: null });
		expect(judge('churn_rate', churn, '1h')).toEqual({ state: 'unjudged', note: 'thresholds are set for 30 d' });
		expect(judge('churn_rate', churn, '7d')).toEqual({ state: 'unjudged', note: 'thresholds are set for 30 d' });
	});

	it('judges the repeat-purchase rate at 30 d only; window-independent ratios at every window', () => {
		const repeat = inputs({ repeat_buyers: 1, buyers: 50 }); // 2 %: past critical (10 %)
		expect(judge('repeat_purchase_rate', repeat, '30d').state).toBe('critical');
		expect(judge('repeat_purchase_rate', repeat, '24h')).toEqual({ state: 'unjudged', note: 'thresholds are set for 30 d' });
		const csat = inputs({ csat_good: 5, csat_n: 20 });
		for (const w of WINDOWS) expect(judge('csat', csat, w).state, w).toBe('critical');
	});
});

describe('sample counts as alert rules read them', () => {
	it('a tile’s underlying counts carry the sample its inputs hold, latency histograms included', () => {
		const cases: [string, MetricInputs, Record<string, number>, number][] = [
			['csat', inputs({ csat_n: 12, csat_good: 3 }), { csat_good: 3, csat_n: 12 }, 12],
			['frt_median', inputs({}, [[SLOW, 4], [SLOW + 1, 3]]), { first_replies_measured: 7 }, 7],
			['res_p90', { c: { tickets_solved: 5 }, frt: new Map(), res: new Map([[SLOW, 5]]) }, { resolutions_measured: 5, tickets_solved: 5 }, 5]
		];
		for (const [id, i, counts, n] of cases) {
			expect(tileCounts(metric(id), i), id).toEqual(counts);
			expect(sampleSize(metric(id), counts), id).toBe(n);
		}
		expect(sampleSize(metric('active_customers'), { active_customers: 4 })).toBeNull();
	});

	it('every metric’s sample is among its tile’s counts, so tiles and rules count the same observations', () => {
		// A sample left out of the counts would read 0 and leave the tile unjudged whatever its inputs.
		for (const m of METRICS.filter((x) => x.sample)) {
			const of = m.sample!.of;
			const i = of === 'frt' || of === 'res' ? { ...inputs({}), [of]: new Map([[SLOW, 13]]) } : inputs({ [of]: 13 });
			expect(sampleSize(m, tileCounts(m, i)), m.id).toBe(13);
		}
	});

	it('words a rule’s own minimum as the tiles word theirs', () => {
		const s = metric('csat').sample!;
		expect(tooFewNote(s, 1, 30)).toBe('too few to judge (1 CSAT rating; 30 needed)');
		expect(tooFewNote(s, 1200, 5000)).toBe('too few to judge (1,200 CSAT ratings; 5,000 needed)');
	});
});
