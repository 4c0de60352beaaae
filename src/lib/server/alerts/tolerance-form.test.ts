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
		expect(r.errors.limit).toMatch(/more than 0 points/);
		expect(r.errors.halfLifeDays).toMatch(/days\) must be a number/);
		expect((await loadToleranceSettings(t.db)).has('smb')).toBe(false);
	});

	it('requires a segment', async () => {
		const r = await saveToleranceForm(t.db, formFrom('  '));
		expect(r.ok ? null : r.errors.segment).toBe('segment is required');
	});
});
