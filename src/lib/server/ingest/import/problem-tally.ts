// The rejected rows of an import counted by problem over the whole file, so that a million rows with the
// same mistake make one line with its count instead of a list cut after the first 20 rows. Each chunk adds
// its rows grouped (one row per problem and chunk), in the import's workspace, seen by both connections.
import type { DuckDBConnection } from '@duckdb/node-api';
import { CHECKED_TABLE } from './checked-sql';

/** Rejected rows with one and the same problem (field and message), counted over the whole file. */
export interface ImportErrorGroup {
	field: string;
	message: string;
	rows: number;
	/** The first of their file lines (at most 5), in file order. */
	lines: number[];
	lastLine: number;
}

export async function createProblemTally(conn: DuckDBConnection, table: string): Promise<void> {
	await conn.run(`CREATE TABLE ${table} (err VARCHAR, n BIGINT, first BIGINT, last BIGINT, lines BIGINT[])`);
}

/** Adds the problems of the rows just checked on `conn`; `offset` is the file line of row 0 (firstLineOffset). */
export async function tallyProblems(conn: DuckDBConnection, table: string, offset: number): Promise<void> {
	const line = `coalesce(_line, rn + ${offset})`;
	await conn.run(
		`INSERT INTO ${table} SELECT err, count(*), min(rn), max(${line}), list(${line} ORDER BY rn)[1:5]
		FROM ${CHECKED_TABLE} WHERE err IS NOT NULL GROUP BY err`
	);
}

/** The first `limit` problems in file order with their counts over every chunk, and how many kinds there were. */
export async function problemGroups(conn: DuckDBConnection, table: string, limit: number): Promise<{ groups: ImportErrorGroup[]; kinds: number }> {
	const kinds = Number((await conn.runAndReadAll(`SELECT count(DISTINCT err) FROM ${table}`)).getRows()[0][0]);
	if (kinds === 0 || limit <= 0) return { groups: [], kinds };
	const r = await conn.runAndReadAll(
		`SELECT err, sum(n)::BIGINT AS n, max(last) AS last, flatten(list(lines ORDER BY first))[1:5] AS lines
		FROM ${table} GROUP BY err ORDER BY min(first) LIMIT ${Math.floor(limit)}`
	);
	const groups = r.getRowObjectsJS().map((row) => {
		const err = String(row.err);
		const bar = err.indexOf('|');
		return {
			field: err.slice(0, bar),
			message: err.slice(bar + 1),
			rows: Number(row.n),
			lines: (row.lines as bigint[]).map(Number),
			lastLine: Number(row.last)
		};
	});
	return { groups, kinds };
}
