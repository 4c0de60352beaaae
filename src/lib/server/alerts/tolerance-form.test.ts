import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDb, type TempDb } from '../../../../tests/helpers/temp-db';
import { DEFAULT_TOLERANCE, EXPERIENCE_KINDS } from './tolerance-defaults';
import { loadToleranceSettings } from './tolerance-settings';
import { saveToleranceForm } from './tolerance-form';

function formFrom(segment: string, overrides: Record<string, string> = {}) {
	const fields: Record<string, string> = {
		segment,
		limit: String(DEFAULT_TOLERANCE.limit),
		halfLifeDays: String(DEFAULT_TOLERANCE.halfLifeDays),
		firstResponseSlaHours: String(DEFAULT_TOLERANCE.firstResponseSlaHours)
	};
	for (const k of EXPERIENCE_KINDS) fields[`weights.${k}`] = String(DEFAULT_TOLERANCE.weights[k]);
	Object.assign(fields, overrides);
	return (name: string) => fields[name] ?? '';
}

describe('saveToleranceForm', () => {
	let t: TempDb;
	beforeEach(async () => {
		t = await tempDb();
	});
	afterEach(async () => {
		await t.cleanup();
	});

	it('stores a segment edited on the form', async () => {
		const r = await saveToleranceForm(t.db, formFrom('enterprise', { limit: '55', halfLifeDays: '14', 'weights.complaint': '20' }));
		expect(r.ok).toBe(true);
		const s = (await loadToleranceSettings(t.db)).get('enterprise')!;
		expect(s.limit).toBe(55);
		expect(s.halfLifeDays).toBe(14);
		expect(s.weights.complaint).toBe(20);
		expect(s.weights.refund).toBe(DEFAULT_TOLERANCE.weights.refund);
	});

	it('names every wrong field and stores nothing', async () => {
		const r = await saveToleranceForm(t.db, formFrom('smb', { limit: '0', halfLifeDays: 'abc', 'weights.praise': '' }));
		expect(r.ok).toBe(false);
		if (r.ok) return;
		expect(Object.keys(r.errors).sort()).toEqual(['halfLifeDays', 'limit', 'weights.praise']);
		expect(r.errors.limit).toBe('the tolerance limit must be more than 0 and at most 1,000,000 points');
		expect(r.errors.halfLifeDays).toMatch(/days\) must be a number/);
		expect((await loadToleranceSettings(t.db)).has('smb')).toBe(false);
	});

	it('refuses values beyond the bounds at their fields, and saves values at the bounds', async () => {
		const r = await saveToleranceForm(t.db, formFrom('vip', { halfLifeDays: '1e19', firstResponseSlaHours: '8761', 'weights.complaint': '1e308', 'weights.praise': '-1000.5' }));
		expect(r.ok ? null : r.errors).toEqual({
			halfLifeDays: 'half-life must be more than 0 and at most 3,650 days',
			firstResponseSlaHours: 'the SLA must be more than 0 and at most 8,760 hours',
			'weights.complaint': 'the weight must be from -1,000 to 1,000 points',
			'weights.praise': 'the weight must be from -1,000 to 1,000 points'
		});
		expect((await loadToleranceSettings(t.db)).has('vip')).toBe(false);
		const atBounds = { halfLifeDays: '3650', limit: '1000000', firstResponseSlaHours: '8760', 'weights.complaint': '1000', 'weights.praise': '-1000' };
		expect(await saveToleranceForm(t.db, formFrom('vip', atBounds))).toMatchObject({ ok: true });
		expect((await loadToleranceSettings(t.db)).get('vip')).toMatchObject({ halfLifeDays: 3650, limit: 1_000_000, weights: { complaint: 1000, praise: -1000 } });
	});

	it('the add form refuses a segment that already has settings, * included; a segment form saves over its own', async () => {
		expect(await saveToleranceForm(t.db, formFrom('vip', { limit: '70' }))).toMatchObject({ ok: true });
		const again = await saveToleranceForm(t.db, formFrom('vip', { limit: '10' }), undefined, { adding: true });
		expect(again.ok ? null : again.errors).toEqual({ segment: 'vip already has settings: edit its form above' });
		expect((await loadToleranceSettings(t.db)).get('vip')!.limit).toBe(70);
		const star = await saveToleranceForm(t.db, formFrom('*', { limit: '10' }), undefined, { adding: true });
		expect(star.ok ? null : star.errors).toEqual({ segment: '* already has settings: edit its form above' });
		expect(await saveToleranceForm(t.db, formFrom('smb'), undefined, { adding: true })).toMatchObject({ ok: true });
		expect(await saveToleranceForm(t.db, formFrom('vip', { limit: '10' }))).toMatchObject({ ok: true });
	});

	it('requires a segment', async () => {
		const r = await saveToleranceForm(t.db, formFrom('  '));
		expect(r.ok ? null : r.errors.segment).toBe('segment is required');
	});
});
