// Turns a raw snapshot into model inputs: a left-padded event sequence per customer and a static
// vector. The vocabulary and the scaling are fitted on training data and saved with the model.
import { BASE_CHANNELS, BASE_TYPES, DAY_MS, MAX_VOCAB, RATING_SCALE, SEQ_LEN } from './definitions';
import type { RawSnapshot } from './snapshot';

export interface FeatureSpec {
	seqLen: number;
	types: string[];
	channels: string[];
	/** Names of the per-event features, in order. */
	stepNames: string[];
	staticNames: string[];
	staticMean: number[];
	staticStd: number[];
	valueScale: number;
	dtScale: number;
	ageScale: number;
}

export interface Encoded {
	n: number;
	seq: Float32Array;
	stat: Float32Array;
}

/** Standard types plus the most frequent custom types seen in training. */
export function chooseVocabulary(typeCounts: Map<string, number>): string[] {
	const custom = [...typeCounts.entries()]
		.filter(([t]) => !BASE_TYPES.includes(t))
		.sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
		.map(([t]) => t);
	return [...BASE_TYPES, ...custom].slice(0, MAX_VOCAB);
}

export function stepNames(types: readonly string[], channels: readonly string[]): string[] {
	return [
		'mask',
		'type:(other)',
		...types.map((t) => `type:${t}`),
		'channel:(other)',
		...channels.map((c) => `channel:${c}`),
		'log_value',
		'has_value',
		'rating_scaled',
		'has_rating',
		'log_dt_days',
		'log_age_days'
	];
}

const slog = (x: number) => Math.sign(x) * Math.log1p(Math.abs(x));
const days = (ms: number) => Math.max(0, ms) / DAY_MS;

function ratingScaled(typeName: string | undefined, r: number): number {
	const [lo, hi] = (typeName && RATING_SCALE[typeName]) || [0, 10];
	return Math.min(1, Math.max(0, (r - lo) / (hi - lo)));
}

/** Names of the static features, in order. */
export function staticNames(types: readonly string[]): string[] {
	return [
		'log_tenure_days',
		'log_recency_days',
		'log_recency_any_days',
		'log_events',
		'log_activity_events',
		'log_purchases',
		'log_monetary',
		'log_avg_purchase_value',
		'log_events_30d',
		'log_events_90d',
		'log_purchases_90d',
		'log_value_90d',
		'log_purchase_gap_days',
		'single_purchase',
		'log_recency_over_gap',
		'log_days_since_purchase',
		'csat_scaled',
		'has_csat',
		'nps_scaled',
		'has_nps',
		'ces_scaled',
		'has_ces',
		'log_refund_value',
		'count:(other)',
		...types.map((t) => `count:${t}`)
	];
}

/** Static features before standardization, by name; NaN-free. */
function rawStatics(raw: RawSnapshot, types: readonly string[]): { names: string[]; rows: Float64Array[] } {
	const n = raw.ids.length;
	const s = raw.stat;
	const names = staticNames(types);
	const width = types.length + 1;
	const S = names.length;
	const rows: Float64Array[] = [];
	for (let i = 0; i < n; i++) {
		const tenure = days(raw.asOfMs - s.first_ms[i]);
		const recency = Number.isNaN(s.last_activity_ms[i]) ? tenure : days(raw.asOfMs - s.last_activity_ms[i]);
		const np = s.n_purchase[i];
		const gap = np >= 2 ? days(s.last_purchase_ms[i] - s.first_purchase_ms[i]) / (np - 1) : tenure;
		const sincePurchase = Number.isNaN(s.last_purchase_ms[i]) ? tenure : days(raw.asOfMs - s.last_purchase_ms[i]);
		const row = new Float64Array(S);
		let c = 0;
		const put = (x: number) => (row[c++] = Number.isFinite(x) ? x : 0);
		const survey = (v: number, t: string) => {
			put(Number.isNaN(v) ? 0.5 : ratingScaled(t, v));
			put(Number.isNaN(v) ? 0 : 1);
		};
		put(Math.log1p(tenure));
		put(Math.log1p(recency));
		put(Math.log1p(days(raw.asOfMs - s.last_ms[i])));
		put(Math.log1p(s.n_events[i]));
		put(Math.log1p(s.n_activity[i]));
		put(Math.log1p(np));
		put(slog(s.monetary[i]));
		put(slog(s.monetary[i] / Math.max(1, np)));
		put(Math.log1p(s.n_30d[i]));
		put(Math.log1p(s.n_90d[i]));
		put(Math.log1p(s.purchases_90d[i]));
		put(slog(s.value_90d[i]));
		put(Math.log1p(gap));
		put(np < 2 ? 1 : 0);
		put(Math.log1p(recency / (gap + 1)));
		put(Math.log1p(sincePurchase));
		survey(s.csat_mean[i], 'survey_csat');
		survey(s.nps_mean[i], 'survey_nps');
		survey(s.ces_mean[i], 'survey_ces');
		put(Math.log1p(s.refund_value[i]));
		for (let k = 0; k < width; k++) put(Math.log1p(raw.typeCounts[i * width + k]));
		rows.push(row);
	}
	return { names, rows };
}

function meanStd(values: number[]): [number, number] {
	if (values.length === 0) return [0, 1];
	const mean = values.reduce((a, b) => a + b, 0) / values.length;
	const v = values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length;
	const sd = Math.sqrt(v);
	return [mean, sd > 1e-9 ? sd : 1];
}

/** Fits scaling on the training snapshots (which must have been read with `types` as vocabulary). */
export function fitFeatureSpec(train: RawSnapshot[], types: string[], channels: readonly string[] = BASE_CHANNELS): FeatureSpec {
	const statics = train.map((r) => rawStatics(r, types));
	const names = staticNames(types);
	const staticMean: number[] = [];
	const staticStd: number[] = [];
	for (let j = 0; j < names.length; j++) {
		const [m, sd] = meanStd(statics.flatMap((s) => s.rows.map((r) => r[j])));
		staticMean.push(m);
		staticStd.push(sd);
	}
	const vals: number[] = [];
	const dts: number[] = [];
	const ages: number[] = [];
	for (const r of train) {
		for (let i = 0; i < r.ids.length; i++) {
			for (let k = r.offsets[i]; k < r.offsets[i + 1]; k++) {
				if (!Number.isNaN(r.evValue[k])) vals.push(Math.abs(slog(r.evValue[k])));
				if (k > r.offsets[i]) dts.push(Math.log1p(days(r.evTime[k] - r.evTime[k - 1])));
				ages.push(Math.log1p(days(r.asOfMs - r.evTime[k])));
			}
		}
	}
	const rms = (xs: number[]) => (xs.length ? Math.sqrt(xs.reduce((a, b) => a + b * b, 0) / xs.length) || 1 : 1);
	return {
		seqLen: SEQ_LEN,
		types,
		channels: [...channels],
		stepNames: stepNames(types, channels),
		staticNames: names,
		staticMean,
		staticStd,
		valueScale: rms(vals),
		dtScale: rms(dts),
		ageScale: rms(ages)
	};
}

export interface Occlusion {
	/** Leave out every sequence event of this vocabulary index (0 = other). */
	dropType?: number;
	/** Leave out the k most recent events of the sequence. */
	dropLast?: number;
}

/** Writes customer i's sequence into out (row r of a [rows, seqLen, F] buffer). */
export function encodeSequence(raw: RawSnapshot, i: number, spec: FeatureSpec, out: Float32Array, r: number, occ: Occlusion = {}): void {
	const L = spec.seqLen;
	const F = spec.stepNames.length;
	const V = spec.types.length + 1;
	const C = spec.channels.length + 1;
	const base = r * L * F;
	out.fill(0, base, base + L * F);
	const start = raw.offsets[i];
	let end = raw.offsets[i + 1];
	if (occ.dropLast) end = Math.max(start, end - occ.dropLast);
	let keep: number[] | Int32Array;
	if (occ.dropType === undefined) {
		// Fast path (batch scoring): the kept events are a contiguous range.
		const from = Math.max(start, end - L);
		keep = new Int32Array(end - from);
		for (let k = from; k < end; k++) keep[k - from] = k;
	} else {
		const picked: number[] = [];
		for (let k = end - 1; k >= start && picked.length < L; k--) if (raw.evType[k] !== occ.dropType) picked.push(k);
		keep = picked.reverse();
	}
	const offset = L - keep.length;
	for (let j = 0; j < keep.length; j++) {
		const k = keep[j];
		const o = base + (offset + j) * F;
		out[o] = 1;
		out[o + 1 + raw.evType[k]] = 1;
		out[o + 1 + V + raw.evChannel[k]] = 1;
		let p = o + 1 + V + C;
		const v = raw.evValue[k];
		out[p++] = Number.isNaN(v) ? 0 : slog(v) / spec.valueScale;
		out[p++] = Number.isNaN(v) ? 0 : 1;
		const rt = raw.evRating[k];
		out[p++] = Number.isNaN(rt) ? 0 : ratingScaled(spec.types[raw.evType[k] - 1], rt);
		out[p++] = Number.isNaN(rt) ? 0 : 1;
		out[p++] = j > 0 ? Math.log1p(days(raw.evTime[k] - raw.evTime[keep[j - 1]])) / spec.dtScale : 0;
		out[p] = Math.log1p(days(raw.asOfMs - raw.evTime[k])) / spec.ageScale;
	}
}

/** Encodes every customer of a snapshot read with spec.types as vocabulary. */
export function encodeSnapshot(raw: RawSnapshot, spec: FeatureSpec): Encoded {
	const n = raw.ids.length;
	const F = spec.stepNames.length;
	const S = spec.staticNames.length;
	const seq = new Float32Array(n * spec.seqLen * F);
	for (let i = 0; i < n; i++) encodeSequence(raw, i, spec, seq, i);
	const stat = new Float32Array(n * S);
	const { rows } = rawStatics(raw, spec.types);
	for (let i = 0; i < n; i++) {
		for (let j = 0; j < S; j++) stat[i * S + j] = (rows[i][j] - spec.staticMean[j]) / spec.staticStd[j];
	}
	return { n, seq, stat };
}

/**
 * Raw (unstandardized) static values by name, one column per name, for baselines and drift. The statics
 * are computed once for all names: per name, the drift report's 38 columns of 160,000 customers took
 * 29 s of the server's event loop.
 */
export function staticColumns(raw: RawSnapshot, types: readonly string[], wanted: readonly string[]): Float64Array[] {
	const { names, rows } = rawStatics(raw, types);
	return wanted.map((name) => {
		const j = names.indexOf(name);
		if (j < 0) throw new Error(`unknown static feature ${name}`);
		return Float64Array.from(rows, (r) => r[j]);
	});
}
