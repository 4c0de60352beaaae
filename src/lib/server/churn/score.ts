// Scores customers with the champion and stores the result: `scores` (latest per customer, with
// model version, band and top reasons) and `score_history` (every score). Batch and incremental.
import type { Db } from '../db';
import { riskBand, type LoadedModel } from './bundle';
import type { Reason } from './explain';
import { inProcessEngine, type ScoreEngine } from './score-engine';
import { loadModel, readManifest, type Result } from './registry';
import { loadPopulation, loadSnapshot } from './snapshot';

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
	reasons: Reason[];
	model_version: string;
}

let cached: { dir: string; version: string; model: LoadedModel } | undefined;

/** The champion of the registry, loaded once per version. */
export async function loadChampion(modelsDir: string): Promise<Result<LoadedModel>> {
	const champion = readManifest(modelsDir).champion;
	if (!champion)
		return {
			ok: false,
			error: `no champion model in ${modelsDir} (train one with \`train\`, then \`promote VERSION\`)`
		};
	if (cached && cached.dir === modelsDir && cached.version === champion)
		return { ok: true, value: cached.model };
	const loaded = await loadModel(modelsDir, champion);
	if (!loaded.ok) return loaded;
	cached?.model.net.dispose();
	cached = { dir: modelsDir, version: champion, model: loaded.value };
	return loaded;
}

const CHUNK = 25_000;

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
}

async function scoreInto(
	db: Db,
	o: ScoreOptions,
	ids?: readonly string[]
): Promise<Result<{ summary: ScoreSummary; customers: ScoredCustomer[] }>> {
	const started = Date.now();
	const engine = o.engine ?? inProcessEngine;
	const champ = await loadChampion(o.modelsDir);
	if (!champ.ok) return champ;
	const m = champ.value;
	const version = m.version ?? 'unknown';
	const asOf = await asOfNow(db);
	if (!asOf) return { ok: false, error: 'there are no events to score' };
	const { spec } = m.bundle;
	const snapshotOf = (customerIds?: readonly string[]) =>
		loadSnapshot(db, {
			asOf,
			horizonDays: m.bundle.horizonDays,
			definition: m.bundle.definition,
			withLabels: false,
			types: spec.types,
			channels: spec.channels,
			customerIds
		});
	// Large populations are read and scored in chunks to bound memory.
	const population = ids ?? (await loadPopulation(db, { asOf, definition: m.bundle.definition }));
	const customers: ScoredCustomer[] = [];
	const phases = { read_s: 0, predict_s: 0, explain_s: 0, write_s: 0 };
	let mark = performance.now();
	const lap = (phase: keyof typeof phases) => {
		const t = performance.now();
		phases[phase] += (t - mark) / 1000;
		mark = t;
	};
	lap('read_s');
	// The next chunk is read while this one is scored: DuckDB works in its own threads meanwhile.
	const readChunk = (start: number) => {
		if (start >= population.length) return null;
		const read = snapshotOf(population.slice(start, start + CHUNK));
		// Awaited in the next round; until then a failure must not count as an unhandled rejection.
		read.catch(() => undefined);
		return read;
	};
	let next = readChunk(0);
	for (let start = 0; start < population.length; start += CHUNK) {
		const raw = await next!;
		next = readChunk(start + CHUNK);
		lap('read_s');
		const prob = await engine.predict(m, raw);
		lap('predict_s');
		raw.ids.forEach((customer_id, i) =>
			customers.push({
				customer_id,
				probability: prob[i],
				risk_band: riskBand(prob[i], m.bundle.bands),
				reasons: [],
				model_version: version
			})
		);
	}
	const n = customers.length;
	const limit = o.explainTop ?? 200;
	const top =
		ids && ids.length <= limit
			? customers
			: [...customers].sort((a, b) => b.probability - a.probability).slice(0, limit);
	const explainN = top.length;
	if (explainN) {
		const raw = await snapshotOf(top.map((c) => c.customer_id));
		const row = new Map(raw.ids.map((id, i) => [id, i]));
		const reasons = await engine.explain(
			m,
			raw,
			top.map((c) => row.get(c.customer_id)!)
		);
		top.forEach((c, k) => (c.reasons = reasons[k]));
	}
	lap('explain_s');
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
				app.appendVarchar(JSON.stringify(c.reasons));
				app.endRow();
			}
			app.flushSync();
		} finally {
			app.closeSync();
		}
		// A batch run explains only the top customers: keep earlier reasons of the others when the
		// model is unchanged rather than wiping them.
		await conn.run(
			`INSERT INTO scores (customer_id, model_version, probability, risk_band, reasons, scored_at)
			 SELECT n.customer_id, $version, n.probability, n.risk_band,
			        CASE WHEN n.reasons = '[]' AND s.model_version = $version THEN s.reasons ELSE CAST(n.reasons AS JSON) END,
			        epoch_ms($now)
			 FROM churn_new_scores n LEFT JOIN scores s USING (customer_id)
			 ON CONFLICT (customer_id) DO UPDATE SET model_version = excluded.model_version, probability = excluded.probability,
			   risk_band = excluded.risk_band, reasons = excluded.reasons, scored_at = excluded.scored_at`,
			{ version, now }
		);
		await conn.run(
			`INSERT INTO score_history (customer_id, model_version, probability, scored_at)
			 SELECT customer_id, $version, probability, epoch_ms($now) FROM churn_new_scores`,
			{ version, now }
		);
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

/** Incremental: only these customers (e.g. those with new events), each with its reasons. */
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
