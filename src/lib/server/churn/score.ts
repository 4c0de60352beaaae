// Scores customers with the champion and stores the result: `scores` (latest per customer, with
// model version, band and top reasons) and `score_history` (a point whenever the score moves; see
// HISTORY_POINT). Batch and incremental.
import type { Db } from '../db';
import { riskBand, scoringBands } from './risk-bands';
import type { Reason } from './explain';
import { inProcessEngine, type ScoreEngine } from './score-engine';
import { championVersion } from './model-cache';
import { readMetadata, type ModelMetadata, type Result } from './registry';
import { SNAPSHOT_PART, withSnapshotReader, type RawSnapshot } from './snapshot';

/** A history point needs a probability this far from the last point written, */
export const HISTORY_MIN_CHANGE = 0.01;
/** or this long since it (so a steady score still shows as a line, one point a day). */
export const HISTORY_EVERY_HOURS = 24;

/**
 * When a new score `n` (churn_new_scores) becomes a score_history point, judged against the customer's
 * previous `scores` row `s`: the first score, a new model, a new risk band, a move of HISTORY_MIN_CHANGE
 * from the last point written (not from the last score, or slow drift in small steps would never
 * show), or a day since that point.
 */
const HISTORY_POINT = `(s.history_at IS NULL OR s.model_version <> $version OR s.risk_band <> n.risk_band
	OR abs(n.probability - s.history_probability) >= ${HISTORY_MIN_CHANGE}
	OR epoch_ms($now) >= s.history_at + INTERVAL ${HISTORY_EVERY_HOURS} HOUR)`;

export interface ScoreSummary {
	version: string;
	scored: number;
	explained: number;
	seconds: number;
	per_second: number;
	as_of: string;
	bands: { low: number; medium: number; high: number };
	/** Seconds per phase, so a slow run says where its time went. */
	phases: { read_s: number; predict_s: number; explain_s: number; write_s: number };
}

export interface ScoredCustomer {
	customer_id: string;
	probability: number;
	risk_band: 'low' | 'medium' | 'high';
	/** null: not explained in this round (a round explains only its likeliest churners). */
	reasons: Reason[] | null;
	model_version: string;
}

/** Features are read as of the newest event (+1 ms): for a live system that is now. */
async function asOfNow(db: Db): Promise<Date | null> {
	const r = await db.one<{ last_ms: number | null }>(
		'SELECT CAST(epoch_ms(max(occurred_at)) AS DOUBLE) AS last_ms FROM events'
	);
	return r?.last_ms == null ? null : new Date(r.last_ms + 1);
}

export interface ScoreOptions {
	modelsDir: string;
	/** Explain this many of the highest-risk customers (every given customer when there are no more than this). */
	explainTop?: number;
	now?: Date;
	/** Where predictions and explanations run (default: this process). */
	engine?: ScoreEngine;
	/** Customers per part of a batch run (default 25,000). */
	partSize?: number;
}

async function scoreInto(
	db: Db,
	o: ScoreOptions,
	ids?: readonly string[]
): Promise<Result<{ summary: ScoreSummary; customers: ScoredCustomer[] }>> {
	const started = Date.now();
	const engine = o.engine ?? inProcessEngine;
	// Metadata only: the engine holds the network (in the scoring child process on the server).
	const champ = championVersion(o.modelsDir);
	if (!champ.ok) return champ;
	const version = champ.value;
	let meta: ModelMetadata;
	try {
		meta = readMetadata(o.modelsDir, version);
	} catch (e) {
		return { ok: false, error: `champion ${version} in ${o.modelsDir} cannot be read: ${e instanceof Error ? e.message : String(e)}` };
	}
	const ref = { modelsDir: o.modelsDir, version };
	const bounds = scoringBands(meta.bands);
	const asOf = await asOfNow(db);
	if (!asOf) return { ok: false, error: 'there are no events to score' };
	const { spec } = meta;
	const query = {
		asOf,
		horizonDays: meta.horizon_days,
		definition: meta.definition,
		withLabels: false,
		types: spec.types,
		channels: spec.channels,
		customerIds: ids
	};
	const phases = { read_s: 0, predict_s: 0, explain_s: 0, write_s: 0 };
	let mark = performance.now();
	const lap = (phase: keyof typeof phases) => {
		const t = performance.now();
		phases[phase] += (t - mark) / 1000;
		mark = t;
	};
	// customers[i] is the reader's pidx i: parts are consecutive ranges of the sorted population.
	const customers: ScoredCustomer[] = [];
	const limit = o.explainTop ?? 200;
	const explainN = await withSnapshotReader(db, query, async (reader) => {
		const total = reader.ids.length;
		const part = o.partSize ?? SNAPSHOT_PART;
		lap('read_s');
		// Large populations are read and scored in parts to bound memory; the next part is read while
		// this one is scored (DuckDB works in its own threads meanwhile).
		const readPart = (start: number) => (start < total ? reader.range(start, start + part) : null);
		let next = readPart(0);
		let last: RawSnapshot | null = null;
		try {
			for (let start = 0; start < total; start += part) {
				const raw = await next!;
				next = readPart(start + part);
				// A failure of the part read ahead is awaited in the finally below, not left unhandled.
				next?.catch(() => undefined);
				lap('read_s');
				const prob = await engine.predict(ref, raw);
				lap('predict_s');
				raw.ids.forEach((customer_id, i) =>
					customers.push({
						customer_id,
						probability: prob[i],
						risk_band: riskBand(prob[i], bounds),
						reasons: null,
						model_version: version
					})
				);
				last = raw;
			}
		} finally {
			// The connection must not close under a read still running.
			await next?.catch(() => undefined);
		}
		const top =
			ids && customers.length <= limit
				? customers.map((_, i) => i)
				: customers
						.map((c, i) => [c.probability, i] as const)
						.sort((x, y) => y[0] - x[0])
						.slice(0, limit)
						.map(([, i]) => i);
		if (!top.length) return 0;
		// One part holds everyone already; otherwise the top customers' last events are read again.
		const raw = last && last.ids.length === total ? last : await reader.pick(top);
		const row = new Map(raw.ids.map((id, i) => [id, i]));
		const reasons = await engine.explain(
			ref,
			raw,
			top.map((i) => row.get(customers[i].customer_id)!)
		);
		top.forEach((i, k) => (customers[i].reasons = reasons[k]));
		lap('explain_s');
		return top.length;
	});
	const n = customers.length;
	// Stamped with the start, not the end: events ingested while this round ran are newer than the
	// score and make their customers stale again (staleCustomers), instead of being passed over.
	const now = (o.now ?? new Date(started)).getTime();
	await db.write(async (conn) => {
		await conn.run(
			'CREATE OR REPLACE TEMP TABLE churn_new_scores (customer_id TEXT, probability DOUBLE, risk_band TEXT, reasons TEXT)'
		);
		const app = await conn.createAppender('churn_new_scores', 'main', 'temp');
		try {
			for (const c of customers) {
				app.appendVarchar(c.customer_id);
				app.appendDouble(c.probability);
				app.appendVarchar(c.risk_band);
				if (c.reasons) app.appendVarchar(JSON.stringify(c.reasons));
				else app.appendNull();
				app.endRow();
			}
			app.flushSync();
		} finally {
			app.closeSync();
		}
		// A round explains only its likeliest churners: the others keep earlier reasons of the same
		// model, or get NULL (not explained; the customer page asks for them, explain-on-view.ts).
		// Empty earlier reasons are not kept: stores before NULL wrote '[]' for "not explained".
		// History first: HISTORY_POINT compares with the scores row this round replaces.
		await conn.run(
			`INSERT INTO score_history (customer_id, model_version, probability, scored_at)
			 SELECT n.customer_id, $version, n.probability, epoch_ms($now)
			 FROM churn_new_scores n LEFT JOIN scores s USING (customer_id) WHERE ${HISTORY_POINT}`,
			{ version, now }
		);
		await conn.run(
			`INSERT INTO scores (customer_id, model_version, probability, risk_band, reasons, scored_at, history_probability, history_at)
			 SELECT n.customer_id, $version, n.probability, n.risk_band,
			        CASE WHEN n.reasons IS NULL AND s.model_version = $version AND json_array_length(s.reasons) > 0
			             THEN s.reasons ELSE CAST(n.reasons AS JSON) END,
			        epoch_ms($now),
			        CASE WHEN ${HISTORY_POINT} THEN n.probability ELSE s.history_probability END,
			        CASE WHEN ${HISTORY_POINT} THEN epoch_ms($now) ELSE s.history_at END
			 FROM churn_new_scores n LEFT JOIN scores s USING (customer_id)
			 ON CONFLICT (customer_id) DO UPDATE SET model_version = excluded.model_version, probability = excluded.probability,
			   risk_band = excluded.risk_band, reasons = excluded.reasons, scored_at = excluded.scored_at,
			   history_probability = excluded.history_probability, history_at = excluded.history_at`,
			{ version, now }
		);
		// A score the champion did not renew is not its score: the customer is outside its population (gone, or a
		// promote changed the definition). Kept, such rows were counted by the at-risk tiles and shown on the
		// customer page as current, e.g. 99 % from a replaced model for customers who had cancelled months ago.
		// The removal is recorded (score_removals): score_history alone would keep such a customer at risk in the
		// at-risk tiles' line (metrics/risk-history.ts).
		const dropped = ids
			? `SELECT customer_id FROM scores WHERE customer_id IN (SELECT unnest(from_json($ids::JSON, '["VARCHAR"]')))
				   AND customer_id NOT IN (SELECT customer_id FROM churn_new_scores)`
			: 'SELECT customer_id FROM scores WHERE customer_id NOT IN (SELECT customer_id FROM churn_new_scores)';
		const p: Record<string, string> = ids ? { ids: JSON.stringify(ids) } : {};
		await conn.run(`INSERT INTO score_removals (customer_id, removed_at) SELECT customer_id, epoch_ms($now) FROM (${dropped})`, { ...p, now });
		await conn.run(`DELETE FROM scores WHERE customer_id IN (${dropped})`, p);
		await conn.run('DROP TABLE churn_new_scores');
	});
	lap('write_s');
	const seconds = (Date.now() - started) / 1000;
	const bands = { low: 0, medium: 0, high: 0 };
	for (const c of customers) bands[c.risk_band]++;
	return {
		ok: true,
		value: {
			summary: {
				version,
				scored: n,
				explained: explainN,
				seconds,
				per_second: Math.round(n / Math.max(seconds, 1e-3)),
				as_of: asOf.toISOString(),
				bands,
				phases: roundPhases(phases)
			},
			customers
		}
	};
}

function roundPhases<T extends Record<string, number>>(p: T): T {
	return Object.fromEntries(Object.entries(p).map(([k, v]) => [k, Math.round(v * 100) / 100])) as T;
}

/** Batch: every customer of the champion's population. */
export async function scoreAll(db: Db, o: ScoreOptions): Promise<Result<ScoreSummary>> {
	const r = await scoreInto(db, o);
	return r.ok ? { ok: true, value: r.value.summary } : r;
}

/** Incremental: only these customers (e.g. those with new events); all explained when at most `explainTop`. */
export async function scoreCustomers(
	db: Db,
	ids: readonly string[],
	o: ScoreOptions
): Promise<Result<ScoredCustomer[]>> {
	if (!ids.length) return { ok: true, value: [] };
	const r = await scoreInto(db, o, ids);
	return r.ok ? { ok: true, value: r.value.customers } : r;
}

/**
 * Customers with events ingested after their last score (or never scored), from customer_state,
 * whose updated_at every ingest transaction sets (one row per customer, not a scan of events).
 * Newest first: customers outside the model's population (e.g. cancelled) never get a score and stay
 * "stale", so oldest-first would hand them every round's slots for good.
 */
export async function staleCustomers(db: Db, limit = 10_000): Promise<string[]> {
	const rows = await db.all<{ customer_id: string }>(
		`SELECT c.customer_id FROM customer_state c LEFT JOIN scores s USING (customer_id)
		 WHERE s.scored_at IS NULL OR c.updated_at > s.scored_at
		 ORDER BY c.updated_at DESC, c.customer_id LIMIT $1`,
		[limit]
	);
	return rows.map((r) => r.customer_id);
}
