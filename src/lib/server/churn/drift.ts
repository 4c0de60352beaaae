// Drift report for the champion (DESIGN §8): PSI of every static input feature and of the score
// between the champion's training window and the last 7 days. The metadata holds no reference
// distributions, so the reference is recomputed from the events: customers with an event in the
// 7 days before the champion's last training cutoff, with features as of that cutoff. The current
// side is built the same way at now (newest event + 1 ms), so both sides are alike populations.
import type { Db } from '../db';
import { predictSnapshot, type LoadedModel } from './bundle';
import { DAY_MS } from './definitions';
import { populationStabilityIndex, PSI_WARNING } from './drift-psi';
import { staticColumn } from './features';
import { readManifest, readMetadata, type ModelMetadata } from './registry';
import { loadChampion } from './model-cache';
import { loadSnapshot, type RawSnapshot } from './snapshot';

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

async function windowSnapshot(db: Db, meta: ModelMetadata, asOf: Date): Promise<{ raw: RawSnapshot; window: DriftWindow }> {
	const from = new Date(asOf.getTime() - DRIFT_WINDOW_DAYS * DAY_MS);
	const ids = await activeCustomers(db, from, asOf);
	const raw = await loadSnapshot(db, {
		asOf,
		horizonDays: meta.horizon_days,
		definition: meta.definition,
		withLabels: false,
		types: meta.spec.types,
		channels: meta.spec.channels,
		customerIds: ids
	});
	return { raw, window: { from: from.toISOString(), to: asOf.toISOString(), customers: raw.ids.length } };
}

function item(name: string, ref: ArrayLike<number>, cur: ArrayLike<number>): DriftItem {
	const r = populationStabilityIndex(ref, cur);
	return { name, psi: r.psi, warning: r.psi > PSI_WARNING, reference: r.reference, current: r.current };
}

const CACHE_MS = 60_000;
let cache: { key: string; at: number; value: Promise<DriftOutcome> } | null = null;

/**
 * computeDrift for the server: reads two snapshots and runs the network twice, so one result (or one
 * computation in flight) is shared while the champion and the newest event stay the same, for a minute.
 */
export async function computeDriftCached(db: Db, modelsDir: string): Promise<DriftOutcome> {
	const last = await db.one<{ last_ms: number | null }>('SELECT CAST(epoch_ms(max(occurred_at)) AS DOUBLE) AS last_ms FROM events');
	const key = `${modelsDir}|${readManifest(modelsDir).champion}|${last?.last_ms ?? 'none'}`;
	if (cache && cache.key === key && Date.now() - cache.at < CACHE_MS) return cache.value;
	const value = computeDrift(db, modelsDir);
	cache = { key, at: Date.now(), value };
	// A crash is not a result: the next request tries again.
	value.catch(() => {
		if (cache?.value === value) cache = null;
	});
	return value;
}

/** Drift of the champion's inputs and scores; compares the training window with the last 7 days. */
export async function computeDrift(db: Db, modelsDir: string, o: { now?: Date } = {}): Promise<DriftOutcome> {
	const champion = readManifest(modelsDir).champion;
	if (!champion) return { ok: false, error: 'there is no champion model, so there is nothing to compare' };
	const meta = readMetadata(modelsDir, champion);
	// The newest training cutoff: the order of train_as_of is not part of the metadata contract.
	const refAsOf = [...meta.data_window.train_as_of].sort().at(-1);
	if (!refAsOf) return { ok: false, error: `${champion} records no training cutoff (data_window.train_as_of)` };
	const last = await db.one<{ last_ms: number | null }>('SELECT CAST(epoch_ms(max(occurred_at)) AS DOUBLE) AS last_ms FROM events');
	if (last?.last_ms == null) return { ok: false, error: 'the database has no events' };
	const nowAsOf = o.now ?? new Date(last.last_ms + 1);
	const ref = await windowSnapshot(db, meta, new Date(refAsOf));
	const cur = await windowSnapshot(db, meta, nowAsOf);
	if (ref.raw.ids.length === 0) return { ok: false, error: `no customer had an event in the ${DRIFT_WINDOW_DAYS} days before the training cutoff ${refAsOf}` };
	if (cur.raw.ids.length === 0) return { ok: false, error: `no customer had an event in the last ${DRIFT_WINDOW_DAYS} days` };
	const model = await loadChampion(modelsDir);
	if (!model.ok) return model;
	const features = meta.features.static.map((name) =>
		item(name, staticColumn(ref.raw, meta.spec.types, name), staticColumn(cur.raw, meta.spec.types, name))
	);
	const score = item('score', scores(model.value, ref.raw), scores(model.value, cur.raw));
	return {
		ok: true,
		value: {
			version: champion,
			threshold: PSI_WARNING,
			reference: ref.window,
			current: cur.window,
			score,
			features,
			warnings: features.filter((f) => f.warning).length + (score.warning ? 1 : 0),
			computed_at: new Date().toISOString()
		}
	};
}

function scores(m: LoadedModel, raw: RawSnapshot): Float64Array {
	return predictSnapshot(m, raw).prob;
}
