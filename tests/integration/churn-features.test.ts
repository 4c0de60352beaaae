import { afterEach, describe, expect, it } from 'vitest';
import { BASE_CHANNELS, BASE_TYPES, SEQ_LEN } from '../../src/lib/server/churn/definitions';
import { encodeSnapshot, fitFeatureSpec } from '../../src/lib/server/churn/features';
import { loadSnapshot } from '../../src/lib/server/churn/snapshot';
import { ingestEvents } from '../../src/lib/server/ingest';
import { anEvent, aPurchase, aSurvey } from '../fixtures/events';
import { tempDb, type TempDb } from '../helpers/temp-db';

let t: TempDb | undefined;
afterEach(async () => {
	await t?.cleanup();
	t = undefined;
});

const asOf = new Date('2024-03-01T00:00:00Z');
const daysBefore = (d: number) => new Date(asOf.getTime() - d * 86_400_000).toISOString();

describe('sequence encoding of a hand-built history', () => {
	it('left-pads, one-hot encodes type and channel, scales value, rating, gaps and ages', async () => {
		t = await tempDb();
		const events = [
			anEvent().withCustomer('a').withType('visit').withChannel('app').at(daysBefore(10)).build(),
			aPurchase('a', 100).withChannel('web').at(daysBefore(3)).build(),
			aSurvey('survey_csat', 4).withCustomer('a').withChannel('email').at(daysBefore(1)).build(),
			// After the cutoff: must not appear.
			aPurchase('a', 50).at('2024-03-05T00:00:00Z').build(),
			aPurchase('b', 20).at(daysBefore(40)).build()
		];
		const r = await ingestEvents(t.db, events, { source: 'test', now: new Date('2024-04-01T00:00:00Z') });
		expect(r.ok).toBe(true);
		const types = [...BASE_TYPES];
		const raw = await loadSnapshot(t.db, { asOf, horizonDays: 30, definition: 'inactivity', withLabels: true, types, channels: BASE_CHANNELS });
		expect(raw.ids).toEqual(['a', 'b']);
		expect(Array.from(raw.offsets)).toEqual([0, 3, 4]);
		expect(Array.from(raw.labels!)).toEqual([0, 1]);

		const spec = fitFeatureSpec([raw], types);
		const F = spec.stepNames.length;
		const { seq, stat } = encodeSnapshot(raw, spec);
		const step = (customer: number, pos: number, name: string) => seq[customer * SEQ_LEN * F + pos * F + spec.stepNames.indexOf(name)];
		for (let pos = 0; pos < SEQ_LEN - 3; pos++) expect(step(0, pos, 'mask')).toBe(0);
		expect([61, 62, 63].map((p) => step(0, p, 'mask'))).toEqual([1, 1, 1]);
		expect(step(0, 61, 'type:visit')).toBe(1);
		expect(step(0, 61, 'channel:app')).toBe(1);
		expect(step(0, 62, 'type:purchase')).toBe(1);
		expect(step(0, 62, 'type:visit')).toBe(0);
		expect(step(0, 62, 'log_value')).toBeCloseTo(Math.log1p(100) / spec.valueScale, 5);
		expect(step(0, 62, 'has_value')).toBe(1);
		expect(step(0, 62, 'log_dt_days')).toBeCloseTo(Math.log1p(7) / spec.dtScale, 5);
		expect(step(0, 63, 'rating_scaled')).toBeCloseTo(0.75, 6);
		expect(step(0, 63, 'has_rating')).toBe(1);
		expect(step(0, 63, 'channel:email')).toBe(1);
		expect(step(0, 63, 'log_age_days')).toBeCloseTo(Math.log1p(1) / spec.ageScale, 5);
		expect(step(0, 61, 'log_dt_days')).toBe(0);

		// Static features, before standardization: recency 1 day for a, 40 for b.
		const j = spec.staticNames.indexOf('log_recency_days');
		const S = spec.staticNames.length;
		const rawRecency = (i: number) => stat[i * S + j] * spec.staticStd[j] + spec.staticMean[j];
		expect(rawRecency(0)).toBeCloseTo(Math.log1p(1), 5);
		expect(rawRecency(1)).toBeCloseTo(Math.log1p(40), 5);
	});
});
