// --preset online-retail: the UCI invoice lines (shared/data/online-retail/README.md) become one
// `purchase` per invoice (value = Σ quantity × unit price, earliest InvoiceDate) and one `refund` per
// C-invoice (value = the amount refunded, positive). Rows without CustomerID cannot be tied to anyone
// and are dropped. Event ids come from the invoice number, so importing again adds nothing. A line whose
// Quantity or UnitPrice is not a number rejects its whole invoice (named by that line): a total without
// the line would be wrong.
import type { DuckDBConnection } from '@duckdb/node-api';
import { describeFile, readerSql } from './reader';

const RAW = '_import_raw';

export interface PresetLoad {
	rows: number;
	droppedNoCustomer: number;
}

/** The invoice-line columns the preset reads (UCI's header names). */
const COLUMNS = ['InvoiceNo', 'InvoiceDate', 'CustomerID', 'Quantity', 'UnitPrice', 'Country'];

/** Why `file`'s header is not the preset's (the columns it lacks), or null. */
export async function onlineRetailColumnsProblem(conn: DuckDBConnection, file: string): Promise<string | null> {
	const have = (await describeFile(conn, file, 'csv')).map((c) => c.name);
	const missing = COLUMNS.filter((c) => !have.includes(c));
	if (missing.length === 0) return null;
	return `the online-retail preset needs the columns ${COLUMNS.join(', ')}; the file lacks ${missing.join(', ')} (file columns: ${have.join(', ')})`;
}

/** Loads the invoice lines of `file` into the canonical table `canon` (canonical.ts). */
export async function loadOnlineRetail(
	conn: DuckDBConnection,
	file: string,
	canon: string
): Promise<{ ok: true; value: PresetLoad } | { ok: false; error: string }> {
	// From the header alone, before a file of another layout is read whole.
	const lacking = await onlineRetailColumnsProblem(conn, file);
	if (lacking) return { ok: false, error: lacking };
	await conn.run(`CREATE OR REPLACE TEMP TABLE ${RAW} AS SELECT * FROM ${readerSql('csv')}`, { file });
	try {
		await conn.run(`
CREATE OR REPLACE TABLE ${canon} AS
WITH l AS (
	SELECT rowid + 2 AS line, trim(InvoiceNo) AS inv, InvoiceDate AS inv_at,
		-- CustomerID is written as a float (17850.0): the same customer as 17850.
		CASE WHEN TRY_CAST(CustomerID AS DOUBLE) IS NOT NULL THEN TRY_CAST(CustomerID AS DOUBLE)::BIGINT::VARCHAR
			ELSE NULLIF(trim(CustomerID), '') END AS cid,
		TRY_CAST(Quantity AS DOUBLE) * TRY_CAST(UnitPrice AS DOUBLE) AS amount, Country AS country,
		CASE WHEN NOT coalesce(isfinite(TRY_CAST(Quantity AS DOUBLE)), false)
				THEN 'Quantity|must be a number, got "' || left(coalesce(Quantity, ''), 80) || '"'
			WHEN NOT coalesce(isfinite(TRY_CAST(UnitPrice AS DOUBLE)), false)
				THEN 'UnitPrice|must be a number, got "' || left(coalesce(UnitPrice, ''), 80) || '"' END AS bad
	FROM ${RAW}
)
SELECT 'online-retail:' || inv AS event_id, any_value(cid) AS customer_id, min(inv_at) AS occurred_at,
	'web' AS channel, CASE WHEN inv LIKE 'C%' THEN 'refund' ELSE 'purchase' END AS type,
	round(CASE WHEN inv LIKE 'C%' THEN -sum(amount) ELSE sum(amount) END, 2)::VARCHAR AS value,
	NULL::VARCHAR AS rating, NULL::VARCHAR AS ticket_id, NULL::VARCHAR AS agent_id,
	json_object('invoice', inv, 'country', any_value(country), 'lines', count(*))::VARCHAR AS attrs,
	CASE WHEN count(bad) > 0 THEN arg_min(bad, line) FILTER (WHERE bad IS NOT NULL) || '; invoice ' || inv || ' is not imported'
		|| CASE WHEN count(bad) > 1 THEN ' (bad numbers also on line '
			|| array_to_string((list(line ORDER BY line) FILTER (WHERE bad IS NOT NULL))[2:6], ', ')
			|| CASE WHEN count(bad) > 6 THEN ', …' ELSE '' END || ')' ELSE '' END
	END AS _type_err,
	coalesce(min(line) FILTER (WHERE bad IS NOT NULL), min(line)) AS _line
FROM l WHERE cid IS NOT NULL GROUP BY inv ORDER BY min(line)`);
		const r = await conn.runAndReadAll(
			`SELECT count(*) AS n, count(*) FILTER (WHERE NULLIF(trim(CustomerID), '') IS NULL) AS dropped FROM ${RAW}`
		);
		const [n, dropped] = r.getRows()[0];
		return { ok: true, value: { rows: Number(n), droppedNoCustomer: Number(dropped) } };
	} finally {
		await conn.run(`DROP TABLE IF EXISTS ${RAW}`);
	}
}
