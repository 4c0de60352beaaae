// attrs nested deeper than the API allows are rejected per row on import too. SQL has no depth function,
// so rows whose attrs hold more than MAX_ATTRS_DEPTH brackets (rare) are parsed and measured in JS.
import type { DuckDBConnection } from '@duckdb/node-api';
import { findJsonProblem } from '../inspect-json';
import { MAX_ATTRS_DEPTH } from '../limits';
import { CHECKED_TABLE } from './checked-sql';

export const TOO_DEEP = `attrs|must not nest objects or arrays deeper than ${MAX_ATTRS_DEPTH} levels`;

/** Sets `err` on checked rows whose attrs nest deeper than MAX_ATTRS_DEPTH; returns how many. */
export async function rejectDeepAttrs(conn: DuckDBConnection): Promise<number> {
	const r = await conn.runAndReadAll(
		`SELECT rn, attrs::VARCHAR AS attrs FROM ${CHECKED_TABLE}
		WHERE err IS NULL AND attrs IS NOT NULL
			AND length(attrs::VARCHAR) - length(replace(replace(attrs::VARCHAR, '{', ''), '[', '')) > $max`,
		{ max: MAX_ATTRS_DEPTH }
	);
	let n = 0;
	for (const [rn, attrs] of r.getRows()) {
		let v: unknown;
		try {
			v = JSON.parse(String(attrs));
		} catch {
			continue; // json_valid already passed it; DuckDB and V8 agreeing is not this check's business
		}
		if (findJsonProblem(v, MAX_ATTRS_DEPTH) !== 'too-deep') continue;
		await conn.run(`UPDATE ${CHECKED_TABLE} SET err = $err WHERE rn = $rn`, { err: TOO_DEEP, rn: rn as bigint });
		n++;
	}
	return n;
}
