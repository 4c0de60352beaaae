// The last N events of every customer of `churn_pop` before a cutoff, oldest first, ties in time broken
// by a hash of event_id. A row_number() window over every event sorted them all and was the largest cost
// of scoring and training; instead DuckDB computes each customer's N-th latest timestamp with the top-N
// aggregate max(x, N) once (the temp table churn_cut) and returns the (few) rows at or after it for any
// subset of customers, sorted by customer, time and hash in DuckDB's threads; here they are grouped and
// cut to N per customer (groups are at most N rows plus ties).
import type { DuckDBConnection } from '@duckdb/node-api';
import { readNumericColumns } from './columns';

export interface LastEvents {
	/** Rows of customer pidx are offsets[pidx] .. offsets[pidx+1]-1, oldest first. */
	offsets: Int32Array;
	time: Float64Array;
	type: Int32Array;
	channel: Int32Array;
	value: Float64Array;
	rating: Float64Array;
}

/**
 * Creates churn_cut (pidx, customer_id, cut): each churn_pop customer's seqLen-th latest event time before
 * the cutoff. Needs the temp table churn_pop (customer_id, pidx 0..n-1).
 */
export async function createCutTable(conn: DuckDBConnection, asOfMs: number, seqLen: number): Promise<void> {
	if (!Number.isInteger(seqLen) || seqLen < 1) throw new Error(`sequence length must be a positive integer, got ${seqLen}`);
	// seqLen is a checked integer from code (max(x, n) takes no bound parameter for n).
	await conn.run(
		`CREATE OR REPLACE TEMP TABLE churn_cut AS
		 SELECT pidx, any_value(customer_id) AS customer_id, list_min(max(occurred_at, ${seqLen})) AS cut
		 FROM events JOIN churn_pop USING (customer_id)
		 WHERE occurred_at < epoch_ms($asof)
		 GROUP BY pidx`,
		{ asof: asOfMs }
	);
}

/**
 * The candidate rows (pidx, t, h, ti, ci, value, rating) of the churn_cut customers matching `where`
 * (over churn_cut's columns, with its bound parameters): their last events plus ties at the cut, in
 * (pidx, t, h) order. Sorted by DuckDB, off the event loop: unordered join output made the per-customer
 * insertion sort in groupLastEvents quadratic, ~0.8 s of a held server per 25,000 scored customers.
 * Needs churn_cut and churn_vocab (kind, name, idx).
 */
export function readCandidates(conn: DuckDBConnection, asOfMs: number, where: string, params: Record<string, number | string>) {
	return readNumericColumns(
		conn,
		`WITH c AS (SELECT pidx, customer_id, cut FROM churn_cut WHERE ${where})
		 SELECT c.pidx, CAST(epoch_ms(e.occurred_at) AS DOUBLE) AS t, CAST(hash(e.event_id) >> 11 AS DOUBLE) AS h,
		        coalesce(vt.idx, 0) AS ti, coalesce(vc.idx, 0) AS ci, e.value, CAST(e.rating AS DOUBLE) AS rating
		 FROM events e JOIN c USING (customer_id)
		 LEFT JOIN churn_vocab vt ON vt.kind = 'type' AND vt.name = e.type
		 LEFT JOIN churn_vocab vc ON vc.kind = 'channel' AND vc.name = e.channel
		 WHERE e.occurred_at < epoch_ms($asof) AND e.occurred_at >= c.cut
		 ORDER BY c.pidx, t, h`,
		{ ...params, asof: asOfMs }
	);
}

/**
 * Every churn_pop customer's sequence. Needs the temp tables churn_pop (customer_id, pidx 0..n-1) and
 * churn_vocab (kind, name, idx) on `conn`; leaves churn_cut behind for later subsets.
 * The order equals ORDER BY occurred_at, hash(event_id) (the hash cut to its top 53 bits so it is exact as
 * a double; equal top bits among events of one customer at the same millisecond are not a practical case).
 */
export async function readLastEvents(conn: DuckDBConnection, n: number, asOfMs: number, seqLen: number): Promise<LastEvents> {
	await createCutTable(conn, asOfMs, seqLen);
	return groupLastEvents(await readCandidates(conn, asOfMs, 'true', {}), n, seqLen);
}

/**
 * Orders candidate rows (as readCandidates gives them) into per-customer sequences. `local` maps a row's
 * pidx to its position 0..n-1 in the result (default: pidx itself).
 */
export function groupLastEvents(raw: Record<string, Float64Array>, n: number, seqLen: number, local?: (pidx: number) => number): LastEvents {
	const { t, h } = raw;
	const pidx = local ? raw.pidx.map(local) : raw.pidx;
	const rows = pidx.length;
	// Counting sort by customer, then each group sorted by (time, hash) and cut to its last seqLen rows.
	const start = new Int32Array(n + 1);
	for (let r = 0; r < rows; r++) start[pidx[r] + 1]++;
	for (let i = 0; i < n; i++) start[i + 1] += start[i];
	const fill = start.slice(0, n);
	const order = new Int32Array(rows);
	for (let r = 0; r < rows; r++) order[fill[pidx[r]]++] = r;

	const offsets = new Int32Array(n + 1);
	for (let i = 0; i < n; i++) offsets[i + 1] = offsets[i] + Math.min(seqLen, start[i + 1] - start[i]);
	const total = offsets[n];
	const out: LastEvents = {
		offsets,
		time: new Float64Array(total),
		type: new Int32Array(total),
		channel: new Int32Array(total),
		value: new Float64Array(total),
		rating: new Float64Array(total)
	};
	const byTimeThenHash = (a: number, b: number) => t[a] - t[b] || h[a] - h[b];
	for (let i = 0; i < n; i++) {
		const group = order.subarray(start[i], start[i + 1]);
		if (group.length > 128) group.sort(byTimeThenHash);
		else {
			// Insertion sort: groups are small and arrive in time order (readCandidates sorts them), where
			// it is linear; a comparator sort per group cost seconds on 200,000 customers.
			for (let k = 1; k < group.length; k++) {
				const r = group[k];
				const tr = t[r];
				const hr = h[r];
				let m = k - 1;
				while (m >= 0 && (t[group[m]] > tr || (t[group[m]] === tr && h[group[m]] > hr))) {
					group[m + 1] = group[m];
					m--;
				}
				group[m + 1] = r;
			}
		}
		const keep = group.subarray(group.length - (offsets[i + 1] - offsets[i]));
		let o = offsets[i];
		for (const r of keep) {
			out.time[o] = t[r];
			out.type[o] = raw.ti[r];
			out.channel[o] = raw.ci[r];
			out.value[o] = raw.value[r];
			out.rating[o] = raw.rating[r];
			o++;
		}
	}
	return out;
}
