// Upserts customers (API, CLI import-customers, demo). Given fields replace stored ones; fields left
// out (or null) keep what is stored; a new customer gets the table's defaults for them.
import { DuckDBTimestampValue, type DuckDBConnection } from '@duckdb/node-api';
import type { RecordError } from '../../shared/events';
import type { Db } from '../db';
import { validateCustomers, type CustomerPatch } from './validate-customer';

export type UpsertCustomersResult =
	| { ok: true; value: { inserted: number; updated: number } }
	| { ok: false; errors: RecordError[] };

const STAGE = '_customer_stage';

async function stageCustomers(conn: DuckDBConnection, rows: readonly CustomerPatch[]): Promise<void> {
	await conn.run(`CREATE OR REPLACE TEMP TABLE ${STAGE} (customer_id TEXT, name TEXT, segment TEXT, plan TEXT,
		region TEXT, signed_up_at TIMESTAMP, monthly_value DOUBLE, tolerance DOUBLE, attrs TEXT)`);
	const app = await conn.createAppender(STAGE, 'main', 'temp');
	try {
		const str = (v: string | null) => (v === null ? app.appendNull() : app.appendVarchar(v));
		const dbl = (v: number | null) => (v === null ? app.appendNull() : app.appendDouble(v));
		for (const c of rows) {
			app.appendVarchar(c.customer_id);
			str(c.name);
			str(c.segment);
			str(c.plan);
			str(c.region);
			if (c.signed_up_us === null) app.appendNull();
			else app.appendTimestamp(new DuckDBTimestampValue(BigInt(c.signed_up_us)));
			dbl(c.monthly_value);
			dbl(c.tolerance);
			str(c.attrs);
			app.endRow();
		}
		app.flushSync();
	} finally {
		app.closeSync();
	}
}

/** Last record wins when a customer appears twice in one batch. */
function lastPerCustomer(rows: CustomerPatch[]): CustomerPatch[] {
	const m = new Map<string, CustomerPatch>();
	for (const r of rows) m.set(r.customer_id, r);
	return [...m.values()];
}

export async function upsertCustomers(db: Db, records: unknown[]): Promise<UpsertCustomersResult> {
	const v = validateCustomers(records);
	if (!v.ok) return v;
	const rows = lastPerCustomer(v.value);
	if (rows.length === 0) return { ok: true, value: { inserted: 0, updated: 0 } };
	const value = await db.write(async (conn) => {
		await stageCustomers(conn, rows);
		try {
			const r = await conn.runAndReadAll(
				`SELECT count(*) FROM ${STAGE} s WHERE EXISTS (SELECT 1 FROM customers c WHERE c.customer_id = s.customer_id)`
			);
			const updated = Number(r.getRows()[0][0]);
			await conn.run(`
UPDATE customers c SET
	name = coalesce(s.name, c.name), segment = coalesce(s.segment, c.segment), plan = coalesce(s.plan, c.plan),
	region = coalesce(s.region, c.region), signed_up_at = coalesce(s.signed_up_at, c.signed_up_at),
	monthly_value = coalesce(s.monthly_value, c.monthly_value), tolerance = coalesce(s.tolerance, c.tolerance),
	attrs = coalesce(s.attrs::JSON, c.attrs), updated_at = now() AT TIME ZONE 'UTC'
FROM ${STAGE} s WHERE s.customer_id = c.customer_id`);
			await conn.run(`
INSERT INTO customers (customer_id, name, segment, plan, region, signed_up_at, monthly_value, tolerance, attrs)
SELECT customer_id, name, coalesce(segment, 'default'), plan, region, signed_up_at, coalesce(monthly_value, 0),
	tolerance, attrs::JSON FROM ${STAGE} s
WHERE NOT EXISTS (SELECT 1 FROM customers c WHERE c.customer_id = s.customer_id)`);
			// The stored 0 of a customer never given a value is "not set", not £0 (see migration 0021).
			await conn.run(
				`INSERT INTO customer_value_given SELECT customer_id FROM ${STAGE} WHERE monthly_value IS NOT NULL ON CONFLICT DO NOTHING`
			);
			return { inserted: rows.length - updated, updated };
		} finally {
			await conn.run(`DROP TABLE IF EXISTS ${STAGE}`).catch(() => undefined);
		}
	});
	return { ok: true, value };
}
