import { afterEach, describe, expect, it } from 'vitest';
import { tempDb, type TempDb } from '../../../../tests/helpers/temp-db';
import { knownSegments } from '../alerts/rule-scope';
import { segmentWithoutCustomers } from '../alerts/tolerance-segment-notice';
import { listSegments } from './segments';

let t: TempDb | undefined;
afterEach(async () => {
	await t?.cleanup();
	t = undefined;
});

/** Customers in vip, smb and B2B (none in default); tolerance settings for * (every migration's), vip and enterprise. */
async function fixture(): Promise<TempDb> {
	const d = await tempDb();
	await d.db.run(
		`INSERT INTO customers (customer_id, segment) VALUES ('c1', 'vip'), ('c2', 'smb'), ('c3', 'B2B'), ('c4', 'vip')`
	);
	await d.db.run(
		`INSERT OR REPLACE INTO tolerance_settings (segment, weights, tolerance_limit) VALUES ('*', '{}', 40), ('vip', '{}', 20), ('enterprise', '{}', 60)`
	);
	return d;
}

describe('the segment lists', () => {
	it("filters: customers' segments and default, in byte order", async () => {
		t = await fixture();
		expect(await listSegments(t.db)).toEqual(['B2B', 'default', 'smb', 'vip']);
	});

	it('alert rules: also segments with tolerance settings, never *', async () => {
		t = await fixture();
		expect(await knownSegments(t.db)).toEqual(['B2B', 'default', 'enterprise', 'smb', 'vip']);
	});

	it("a tolerance save's notice: customers' segments only, default only when a customer has no segment of its own", async () => {
		t = await fixture();
		expect(await segmentWithoutCustomers(t.db, 'enterprise')).toBe(
			'no customer is in segment enterprise yet; segments are matched exactly, case included: known segments are B2B, smb, vip'
		);
		expect(await segmentWithoutCustomers(t.db, 'default')).toBe(
			'no customer is in segment default yet; segments are matched exactly, case included: known segments are B2B, smb, vip'
		);
		expect(await segmentWithoutCustomers(t.db, 'vip')).toBeNull();
		await t.db.run(`INSERT INTO customers (customer_id) VALUES ('c5')`);
		expect(await segmentWithoutCustomers(t.db, 'default')).toBeNull();
		expect(await segmentWithoutCustomers(t.db, 'Enterprise')).toBe(
			'no customer is in segment Enterprise yet; segments are matched exactly, case included: known segments are B2B, default, smb, vip'
		);
	});

	it('the filters list at most 200; the others all', async () => {
		t = await fixture();
		await t.db.run(
			`INSERT INTO customers (customer_id, segment) SELECT 'm' || i, 's' || lpad(i::VARCHAR, 3, '0') FROM range(250) r(i)`
		);
		const filters = await listSegments(t.db);
		expect(filters).toHaveLength(200);
		expect(filters.slice(0, 3)).toEqual(['B2B', 'default', 's000']);
		expect(filters.at(-1)).toBe('s197');
		expect(await knownSegments(t.db)).toHaveLength(255);
		expect(await segmentWithoutCustomers(t.db, 'zzz')).toMatch(
			/known segments are B2B, s000, s001, .*, s249, smb, vip$/
		);
	});
});
