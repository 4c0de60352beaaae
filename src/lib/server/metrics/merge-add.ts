// Adds a batch's counters into a rollup table whose rows are unique per key by construction: rows whose
// key exists get the batch's values added, the others are inserted. The rollup tables carry no primary
// key (migration 0012): INSERT … ON CONFLICT needs one, and its ART index cost more than the rest of the
// statement (a 1 M-event import chunk: ~1.5 s upsert + ~0.65 s of index checkpoint per chunk against
// ~0.7 s + ~0.08 s for MERGE), and pinned memory per row. Every writer holds the process's write lock, so
// no two merges race for the same key.

export interface MergeAdd {
	into: string;
	/** Columns that identify a row; never NULL in these tables (a NULL key would never match). */
	keys: readonly string[];
	/** Counter columns: added on a match, inserted as they are otherwise. */
	sums: readonly string[];
	/** A query or table giving `keys` and `sums` by name, at most one row per key. */
	using: string;
}

export function mergeAddSql({ into, keys, sums, using }: MergeAdd): string {
	const cols = [...keys, ...sums];
	return `MERGE INTO ${into} t USING (${using}) s
ON ${keys.map((k) => `t.${k} = s.${k}`).join(' AND ')}
WHEN MATCHED THEN UPDATE SET ${sums.map((c) => `${c} = t.${c} + s.${c}`).join(', ')}
WHEN NOT MATCHED THEN INSERT (${cols.join(', ')}) VALUES (${cols.map((c) => `s.${c}`).join(', ')})`;
}
