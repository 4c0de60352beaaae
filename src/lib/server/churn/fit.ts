// The fitting procedure at one cutoff: validation = the snapshot at the cutoff itself (labels from
// [asOf, asOf+H)), training = earlier snapshots every `stepDays`. Every label it reads lies before
// asOf + H, which is how the backtest keeps everything after T out of training.
import { lastDayBefore, MIN_SNAPSHOT_HISTORY_DAYS, snapshotStepDays } from '../../shared/cutoff-range';
import { computeCurves, type ModelCurves } from './curves';
import type { Db } from '../db';
import { fitBaselines, scoreBaselines } from './baselines';
import { predictSnapshot, type ModelBundle } from './bundle';
import { BASE_CHANNELS, DAY_MS, isoDay, NON_ACTIVITY_TYPES, type ChurnDefinition } from './definitions';
import { evaluateScores, type FullMetrics } from './evaluate';
import { chooseVocabulary, encodeSnapshot, fitFeatureSpec, type FeatureSpec } from './features';
import { DEFAULT_HYPER, type ModelHyper } from './model';
import { bandsFromValidation, DEFAULT_BANDS } from './risk-bands';
import { fromArtifacts } from './network-io';
import { NO_EVENTS } from './label-window';
import { loadSnapshot, type RawSnapshot } from './snapshot';
import { trainNetwork, type TensorSet, type TrainInput, type TrainOutput, type TrainProgress } from './train';

export interface FitOptions {
	/** Exclusive end of the features of the validation snapshot. */
	asOf: Date;
	horizonDays: number;
	definition: ChurnDefinition;
	hyper?: Partial<ModelHyper>;
	stepDays?: number;
	maxTrainSnapshots?: number;
	/** A snapshot needs this much history before it. */
	minHistoryDays?: number;
	onProgress?: (p: TrainProgress) => void;
	/** Where the network is trained (in-process by default; the server passes the child-process runner). */
	runner?: (input: TrainInput, onProgress?: (p: TrainProgress) => void) => Promise<TrainOutput>;
	log?: (line: string) => void;
	/** A cancelled run: the snapshot being read is interrupted (snapshot.ts), and no further one is read. */
	signal?: AbortSignal;
}

export interface SnapshotInfo {
	as_of: string;
	n: number;
	positives: number;
}

export interface FitResult {
	bundle: ModelBundle;
	train: TrainOutput;
	trainSnapshots: SnapshotInfo[];
	validation: SnapshotInfo;
	/** Model and baselines on the validation snapshot (the model's calibration was fitted there too). */
	validationMetrics: { model: FullMetrics; recency: FullMetrics; rfm_logistic: FullMetrics };
	/** The model's curves on the validation snapshot (drawn on the Models page). */
	validationCurves: ModelCurves;
	/** Customers (rows) in the training snapshots together. */
	trainRows: number;
	trainSeconds: number;
	/** Hash of every event the fit could see (features and labels), to tell data sets apart. */
	dataFingerprint: string;
	firstEvent: string;
}

export type FitOutcome = { ok: true; value: FitResult } | { ok: false; error: string };

function info(r: RawSnapshot): SnapshotInfo {
	let positives = 0;
	for (const y of r.labels ?? []) positives += y;
	return { as_of: new Date(r.asOfMs).toISOString(), n: r.ids.length, positives };
}

export function tensorSet(raws: RawSnapshot[], spec: ReturnType<typeof fitFeatureSpec>): TensorSet {
	const enc = raws.map((r) => encodeSnapshot(r, spec));
	const n = enc.reduce((a, e) => a + e.n, 0);
	const seq = new Float32Array(enc.reduce((a, e) => a + e.seq.length, 0));
	const stat = new Float32Array(enc.reduce((a, e) => a + e.stat.length, 0));
	const labels = new Uint8Array(n);
	let so = 0;
	let to = 0;
	let lo = 0;
	enc.forEach((e, k) => {
		seq.set(e.seq, so);
		stat.set(e.stat, to);
		labels.set(raws[k].labels!, lo);
		so += e.seq.length;
		to += e.stat.length;
		lo += e.n;
	});
	return { n, seq, stat, labels };
}

export interface PreparedFit {
	trainRaw: RawSnapshot[];
	val: RawSnapshot;
	spec: FeatureSpec;
	input: TrainInput;
	firstMs: number;
}

/** Everything the fit learns from, read from the database (split out so the leakage test can compare it). */
export async function prepareFit(db: Db, o: FitOptions): Promise<{ ok: true; value: PreparedFit } | { ok: false; error: string }> {
	const asOfMs = o.asOf.getTime();
	const hyper: ModelHyper = { ...DEFAULT_HYPER, ...o.hyper };
	// The same rule the backtest form and checks use (cutoff-range.ts), so they never offer a cutoff that fails here.
	const step = (o.stepDays ?? snapshotStepDays(o.horizonDays)) * DAY_MS;
	const minHistory = (o.minHistoryDays ?? MIN_SNAPSHOT_HISTORY_DAYS) * DAY_MS;
	const bounds = await db.one<{ first_ms: number | null }>(
		'SELECT CAST(epoch_ms(min(occurred_at)) AS DOUBLE) AS first_ms FROM events WHERE occurred_at < epoch_ms($1)',
		[asOfMs]
	);
	if (bounds?.first_ms == null) {
		// Say where the data starts: the fit date is the cutoff minus the horizon, which users rarely compute.
		const first = await db.one<{ at: string | null }>('SELECT strftime(min(occurred_at), \'%Y-%m-%d\') AS at FROM events');
		if (!first?.at) return { ok: false, error: NO_EVENTS };
		return {
			ok: false,
			error: `no events before ${isoDay(o.asOf)}, where the fit ends (cutoff minus horizon); the first event is on ${first.at}: a later cutoff or a shorter horizon would leave history to learn from`
		};
	}
	const typeRows = await db.all<{ type: string; n: number }>(
		'SELECT type, count(*) AS n FROM events WHERE occurred_at < epoch_ms($1) GROUP BY type',
		[asOfMs]
	);
	const types = chooseVocabulary(new Map(typeRows.map((r) => [r.type, r.n])));
	const read = (asOf: number) =>
		loadSnapshot(db, { asOf: new Date(asOf), horizonDays: o.horizonDays, definition: o.definition, withLabels: true, types, channels: BASE_CHANNELS, signal: o.signal });

	const val = await read(asOfMs);
	const trainRaw: RawSnapshot[] = [];
	for (let k = 1; k <= (o.maxTrainSnapshots ?? 8); k++) {
		const at = asOfMs - k * step;
		if (at < bounds.first_ms + minHistory) break;
		const r = await read(at);
		if (r.ids.length) trainRaw.push(r);
	}
	const positives = (rs: readonly RawSnapshot[]) => rs.reduce((a, r) => a + info(r).positives, 0);
	const total = (rs: readonly RawSnapshot[]) => rs.reduce((a, r) => a + r.ids.length, 0);
	if (!trainRaw.length) return { ok: false, error: `not enough history before ${isoDay(o.asOf)} for a training snapshot (need ${o.minHistoryDays ?? MIN_SNAPSHOT_HISTORY_DAYS} days of events before the earliest one)` };
	for (const [name, rs] of [['training', trainRaw], ['validation', [val]]] as const) {
		const p = positives(rs);
		if (p === 0 || p === total(rs)) {
			// A cutoff near or past the end of the data leaves label windows without events: say so, with dates.
			const last = await db.one<{ at: string | null }>("SELECT strftime(max(occurred_at), '%Y-%m-%d') AS at FROM events");
			const labelsEnd = isoDay(new Date(asOfMs + o.horizonDays * DAY_MS - DAY_MS));
			const late = last?.at && labelsEnd > last.at ? `; the labels run to ${labelsEnd} but the last event is on ${last.at}: an earlier cutoff would give whole label windows` : '';
			return {
				ok: false,
				error: `the ${name} data has ${p === 0 ? 'no churned' : 'only churned'} customers (${total(rs).toLocaleString('en-US')} customer rows in ${rs.length} snapshot${rs.length === 1 ? '' : 's'}, ${o.definition}); cannot learn from one class${late}`
			};
		}
	}
	o.log?.(
		// Each snapshot by its cutoff (the last day its features include), as backtests and --cutoff name days.
		`training snapshots (features up to): ${trainRaw.map((r) => `${lastDayBefore(r.asOfMs)} (${r.ids.length})`).join(', ')}; validation cutoff ${lastDayBefore(val.asOfMs)} (${val.ids.length}); activity excludes ${NON_ACTIVITY_TYPES.join(', ')}`
	);

	const spec = fitFeatureSpec(trainRaw, types);
	const input: TrainInput = {
		seqLen: spec.seqLen,
		stepFeatures: spec.stepNames.length,
		staticFeatures: spec.staticNames.length,
		hyper,
		train: tensorSet(trainRaw, spec),
		val: tensorSet([val], spec)
	};
	return { ok: true, value: { trainRaw, val, spec, input, firstMs: bounds.first_ms } };
}

export async function fitChurnModel(db: Db, o: FitOptions): Promise<FitOutcome> {
	const started = Date.now();
	const asOfMs = o.asOf.getTime();
	const prepared = await prepareFit(db, o);
	if (!prepared.ok) return prepared;
	const { trainRaw, val, spec, input, firstMs } = prepared.value;
	const { hyper } = input;
	const types = spec.types;
	const out = await (o.runner ?? trainNetwork)(input, o.onProgress);
	const baselines = fitBaselines([...trainRaw, val], types);
	const bundle: ModelBundle = {
		spec,
		hyper,
		calibration: out.calibration,
		threshold: out.threshold,
		// Replaced by bands fitted on the validation scores below; predicting does not read them.
		bands: DEFAULT_BANDS,
		definition: o.definition,
		horizonDays: o.horizonDays,
		baselines,
		artifacts: out.artifacts
	};
	const net = await fromArtifacts(out.artifacts);
	try {
		const pv = predictSnapshot({ bundle, net }, val);
		const b = scoreBaselines(baselines, val, types);
		const y = val.labels!;
		const validationMetrics = {
			model: evaluateScores(pv.prob, pv.prob, y, out.threshold),
			recency: evaluateScores(b.recency.score, b.recency.prob, y, out.threshold),
			rfm_logistic: evaluateScores(b.rfm_logistic.score, b.rfm_logistic.prob, y, out.threshold)
		};
		const fp = await db.one<{ n: number; h: string | number; lo: string | null; hi: string | null }>(
			`SELECT count(*) AS n, CAST(coalesce(bit_xor(hash(event_id)), 0) AS VARCHAR) AS h,
			        CAST(min(occurred_at) AS VARCHAR) AS lo, CAST(max(occurred_at) AS VARCHAR) AS hi
			 FROM events WHERE occurred_at < epoch_ms($1)`,
			[asOfMs + o.horizonDays * DAY_MS]
		);
		return {
			ok: true,
			value: {
				dataFingerprint: `events=${fp?.n ?? 0};xor=${BigInt(fp?.h ?? 0).toString(16)};from=${fp?.lo};to=${fp?.hi}`,
				firstEvent: new Date(firstMs).toISOString(),
				bundle: { ...bundle, bands: bandsFromValidation(pv.prob) },
				train: out,
				trainSnapshots: trainRaw.map(info),
				validation: info(val),
				validationMetrics,
				validationCurves: computeCurves(pv.prob, y),
				trainRows: trainRaw.reduce((n, r) => n + r.ids.length, 0),
				trainSeconds: (Date.now() - started) / 1000
			}
		};
	} finally {
		net.dispose();
	}
}
