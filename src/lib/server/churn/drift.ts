// Drift report for the champion (DESIGN §8): PSI of every static input feature and of the score
// between the champion's training window and the last 7 days. The metadata holds no reference
// distributions, so the reference is recomputed from the events: customers with an event in the
// 7 days before the champion's last training cutoff, with features as of that cutoff. The current
// side is built the same way at now (newest event + 1 ms), so both sides are alike populations.
import type { Db } from '../db';
import { DAY_MS } from './definitions';
import { populationStabilityIndex, PSI_WARNING } from './drift-psi';
import { staticColumns } from './features';
import { readManifest, readMetadata, type ModelMetadata } from './registry';
import { inProcessEngine, type ScoreEngine } from './score-engine';
import { SNAPSHOT_PART, withSnapshotReader, type RawSnapshot } from './snapshot';

export const DRIFT_WINDOW_DAYS = 7;

export interface DriftItem {
	name: string;
	psi: number;
	warning: boolean;
	/** Share of rows per reference decile bin (reference vs current). */
	reference: number[];
	current: number[];
}

export interface DriftWindow {
	from: string;
	to: string;
	customers: number;
}

export interface DriftReport {
	version: string;
	threshold: number;
	reference: DriftWindow;
	current: DriftWindow;
	score: DriftItem;
	features: DriftItem[];
	warnings: number;
	computed_at: string;
}

export type DriftOutcome = { ok: true; value: DriftReport } | { ok: false; error: string };

async function activeCustomers(db: Db, from: Date, to: Date): Promise<string[]> {
	const rows = await db.all<{ customer_id: string }>(
		'SELECT DISTINCT customer_id FROM events WHERE occurred_at >= epoch_ms($1) AND occurred_at < epoch_ms($2) ORDER BY customer_id',
		[from.getTime(), to.getTime()]
	);
	return rows.map((r) => r.customer_id);
}

/** A drift window's statics (one column per name) and scores, read and scored in parts. */
interface WindowColumns {
	window: DriftWindow;
	statics: Float64Array[];
	scores: Float64Array;
}

async function windowColumns(
	db: Db,
	meta: ModelMetadata,
	asOf: Date,
	score: (raw: RawSnapshot) => Promise<Float64Array>
): Promise<WindowColumns> {
	const from = new Date(asOf.getTime() - DRIFT_WINDOW_DAYS * DAY_MS);
	const ids = await activeCustomers(db, from, asOf);
	const query = {
		asOf,
		horizonDays: meta.horizon_days,
		definition: meta.definition,
		withLabels: false,
		types: meta.spec.types,
		channels: meta.spec.channels,
		customerIds: ids
	};
	const names = meta.features.static;
	// In parts, like the scorer: a whole window of 160,000 customers held the server's event loop for 7 s.
	return withSnapshotReader(db, query, async (reader) => {
		const n = reader.ids.length;
		const statics = names.map(() => new Float64Array(n));
		const scores = new Float64Array(n);
		for (let start = 0; start < n; start += SNAPSHOT_PART) {
			const raw = await reader.range(start, Math.min(n, start + SNAPSHOT_PART));
			staticColumns(raw, meta.spec.types, names).forEach((c, j) => statics[j].set(c, start));
			scores.set(await score(raw), start);
		}
		return { window: { from: from.toISOString(), to: asOf.toISOString(), customers: n }, statics, scores };
	});
}

function item(name: string, ref: ArrayLike<number>, cur: ArrayLike<number>): DriftItem {
	const r = populationStabilityIndex(ref, cur);
	return { name, psi: r.psi, warning: r.psi > PSI_WARNING, reference: r.reference, current: r.current };
}

// The report compares 7-day windows: recomputing it for every new event of a live stream (two
// snapshots of every recently active customer) would cost far more than minutes-old figures.
const CACHE_MS = 5 * 60_000;
let cache: { key: string; at: number; value: Promise<DriftOutcome>; settled: boolean } | null = null;

/**
 * computeDrift for the server: one result (or one computation in flight) is shared for five minutes
 * while the champion stays the same, unless `fresh` (the panel's Recompute), which still joins a
 * computation in flight rather than starting a second; the network runs in the server's scoring
 * process (`engine`).
 */
export async function computeDriftCached(db: Db, modelsDir: string, engine: ScoreEngine, o: { fresh?: boolean } = {}): Promise<DriftOutcome> {
	const key = `${modelsDir}|${readManifest(modelsDir).champion}`;
	if (cache && cache.key === key && (!cache.settled || (!o.fresh && Date.now() - cache.at < CACHE_MS))) return cache.value;
	const value = computeDrift(db, modelsDir, { engine });
	const entry = { key, at: Date.now(), value, settled: false };
	cache = entry;
	value.then(
		() => (entry.settled = true),
		// A crash is not a result: the next request tries again.
		() => {
			entry.settled = true;
			if (cache === entry) cache = null;
		}
	);
	return value;
}

/** Drift of the champion's inputs and scores; compares the training window with the last 7 days. */
export async function computeDrift(db: Db, modelsDir: string, o: { now?: Date; engine?: ScoreEngine } = {}): Promise<DriftOutcome> {
	const champion = readManifest(modelsDir).champion;
	if (!champion) return { ok: false, error: 'there is no champion model, so there is nothing to compare' };
	const meta = readMetadata(modelsDir, champion);
	// The newest training cutoff: the order of train_as_of is not part of the metadata contract.
	const refAsOf = [...meta.data_window.train_as_of].sort().at(-1);
	if (!refAsOf) return { ok: false, error: `${champion} records no training cutoff (data_window.train_as_of)` };
	const last = await db.one<{ last_ms: number | null }>('SELECT CAST(epoch_ms(max(occurred_at)) AS DOUBLE) AS last_ms FROM events');
	if (last?.last_ms == null) return { ok: false, error: 'the database has no events' };
	const nowAsOf = o.now ?? new Date(last.last_ms + 1);
	const engine = o.engine ?? inProcessEngine;
	const model = { modelsDir, version: champion };
	const score = (raw: RawSnapshot) => engine.predict(model, raw);
	let ref: WindowColumns;
	let cur: WindowColumns;
	try {
		ref = await windowColumns(db, meta, new Date(refAsOf), score);
		cur = await windowColumns(db, meta, nowAsOf, score);
	} catch (e) {
		return { ok: false, error: `the drift windows could not be read or scored with ${champion}: ${e instanceof Error ? e.message : String(e)}` };
	}
	if (ref.window.customers === 0) return { ok: false, error: `no customer had an event in the ${DRIFT_WINDOW_DAYS} days before the training cutoff ${refAsOf}` };
	if (cur.window.customers === 0) return { ok: false, error: `no customer had an event in the last ${DRIFT_WINDOW_DAYS} days` };
	const features = meta.features.static.map((name, j) => item(name, ref.statics[j], cur.statics[j]));
	const scoreItem = item('score', ref.scores, cur.scores);
	return {
		ok: true,
		value: {
			version: champion,
			threshold: PSI_WARNING,
			reference: ref.window,
			current: cur.window,
			score: scoreItem,
			features,
			warnings: features.filter((f) => f.warning).length + (scoreItem.warning ? 1 : 0),
			computed_at: new Date().toISOString()
		}
	};
}
