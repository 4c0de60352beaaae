// The last N events of every customer of `churn_pop` before a cutoff, oldest first, ties in time broken
// by a hash of event_id. A row_number() window over every event sorted them all and was the largest cost
// of scoring and training; instead DuckDB computes each customer's N-th latest timestamp with the top-N
// aggregate max(x, N), returns the (few) rows at or after it unordered, and the ordering is finished
// here per customer, where groups are at most N rows plus ties.
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

/** Column names of the candidate rows lastEventsSql selects (and churn_last holds). */
export const LAST_EVENT_COLUMNS = 'pidx, t, h, ti, ci, value, rating';

/**
 * The candidate rows of every churn_pop customer (its last seqLen events plus ties at the cut), unordered;
 * bound parameter $asof. Needs the temp tables churn_pop (customer_id, pidx 0..n-1) and churn_vocab.
 */
export function lastEventsSql(seqLen: number): string {
	if (!Number.isInteger(seqLen) || seqLen < 1) throw new Error(`sequence length must be a positive integer, got ${seqLen}`);
	// seqLen is a checked integer from code (max(x, n) takes no bound parameter for n).
	return `WITH ev AS (
		   SELECT p.pidx, e.occurred_at, e.event_id, e.type, e.channel, e.value, e.rating
		   FROM events e JOIN churn_pop p USING (customer_id)
		   WHERE e.occurred_at < epoch_ms($asof)),
		 cut AS (SELECT pidx, list_min(max(occurred_at, ${seqLen})) AS cut FROM ev GROUP BY pidx)
		 SELECT ev.pidx, CAST(epoch_ms(ev.occurred_at) AS DOUBLE) AS t, CAST(hash(ev.event_id) >> 11 AS DOUBLE) AS h,
		        coalesce(vt.idx, 0) AS ti, coalesce(vc.idx, 0) AS ci, ev.value, CAST(ev.rating AS DOUBLE) AS rating
		 FROM ev JOIN cut USING (pidx)
		 LEFT JOIN churn_vocab vt ON vt.kind = 'type' AND vt.name = ev.type
		 LEFT JOIN churn_vocab vc ON vc.kind = 'channel' AND vc.name = ev.channel
		 WHERE ev.occurred_at >= cut.cut`;
}

/**
 * Needs the temp tables churn_pop (customer_id, pidx 0..n-1) and churn_vocab (kind, name, idx) on `conn`.
 * The order equals ORDER BY occurred_at, hash(event_id) (the hash cut to its top 53 bits so it is exact as
 * a double; equal top bits among events of one customer at the same millisecond are not a practical case).
 */
export async function readLastEvents(conn: DuckDBConnection, n: number, asOfMs: number, seqLen: number): Promise<LastEvents> {
	const raw = await readNumericColumns(conn, lastEventsSql(seqLen), { asof: asOfMs });
	return groupLastEvents(raw, n, seqLen);
}

/**
 * Orders candidate rows (columns of LAST_EVENT_COLUMNS) into per-customer sequences. `local` maps a row's
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
		group.sort(byTimeThenHash);
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
