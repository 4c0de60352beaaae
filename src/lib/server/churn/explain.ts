// Top reasons by occlusion (DESIGN §8): how much the churn probability drops when something is
// taken away: every event of one type, the last k events, or one static feature reset to its
// training average. Only changes that raise the risk are reported, largest (in log-odds) first.
import { eventTypePlural } from '../../shared/event-type-labels';
import type { LoadedModel } from './bundle';
import { applyCalibration } from './calibrate';
import { encodeSequence, encodeSnapshot, type Occlusion } from './features';
import { predictRaw } from './model';
import type { RawSnapshot } from './snapshot';

export interface Reason {
	kind: 'event_type' | 'recent_events' | 'feature';
	/** Event type, "last k" or static feature name. */
	feature: string;
	label: string;
	/** Probability with it minus probability without it. */
	delta: number;
}

/** Static features worth explaining to a retention agent (the others are technical). */
const EXPLAINED_STATICS: Record<string, string> = {
	log_recency_days: 'days since last activity',
	log_tenure_days: 'tenure',
	log_purchases: 'number of purchases',
	log_monetary: 'total spend',
	log_events_90d: 'activity in the last 90 days',
	log_purchases_90d: 'purchases in the last 90 days',
	log_recency_over_gap: 'silence compared with the usual gap between purchases',
	csat_scaled: 'CSAT ratings',
	nps_scaled: 'NPS ratings',
	ces_scaled: 'effort ratings',
	log_refund_value: 'refunds'
};

export function explainRows(m: LoadedModel, raw: RawSnapshot, rows: number[], maxReasons = 3, minLogOdds = 0.02): Reason[][] {
	const spec = m.bundle.spec;
	const L = spec.seqLen;
	const F = spec.stepNames.length;
	const S = spec.staticNames.length;
	const enc = encodeSnapshot(raw, spec);
	const out: Reason[][] = [];
	for (const i of rows) {
		const variants: { occ?: Occlusion; staticIndex?: number; reason: Omit<Reason, 'delta'> }[] = [];
		const types = new Set<number>();
		for (let k = raw.offsets[i]; k < raw.offsets[i + 1]; k++) types.add(raw.evType[k]);
		for (const t of types) {
			const name = t === 0 ? '(other)' : spec.types[t - 1];
			variants.push({ occ: { dropType: t }, reason: { kind: 'event_type', feature: name, label: eventTypePlural(name) } });
		}
		const len = raw.offsets[i + 1] - raw.offsets[i];
		for (const k of [1, 3, 5]) {
			if (len > k) variants.push({ occ: { dropLast: k }, reason: { kind: 'recent_events', feature: `last ${k}`, label: k === 1 ? 'the latest event' : `the last ${k} events` } });
		}
		spec.staticNames.forEach((name, j) => {
			// The occlusion resets the figure to the training average: the reason is how this customer's differs.
			if (EXPLAINED_STATICS[name])
				variants.push({ staticIndex: j, reason: { kind: 'feature', feature: name, label: `${EXPLAINED_STATICS[name]}, compared with a typical customer` } });
		});
		const n = variants.length + 1;
		const seq = new Float32Array(n * L * F);
		const stat = new Float32Array(n * S);
		const baseSeq = enc.seq.subarray(i * L * F, (i + 1) * L * F);
		const baseStat = enc.stat.subarray(i * S, (i + 1) * S);
		seq.set(baseSeq, 0);
		stat.set(baseStat, 0);
		variants.forEach((v, r) => {
			const row = r + 1;
			if (v.occ) encodeSequence(raw, i, spec, seq, row, v.occ);
			else seq.set(baseSeq, row * L * F);
			stat.set(baseStat, row * S);
			if (v.staticIndex !== undefined) stat[row * S + v.staticIndex] = 0;
		});
		const p = applyCalibration(m.bundle.calibration, predictRaw(m.net, seq, stat, n, L, F, S));
		out.push(pickReasons(p[0], variants.map((v, r) => ({ reason: v.reason, without: p[r + 1] })), maxReasons, minLogOdds));
	}
	return out;
}

const logOdds = (p: number) => {
	const q = Math.min(1 - 1e-9, Math.max(1e-9, p));
	return Math.log(q / (1 - q));
};

/**
 * The occlusions that raise the risk most, judged in log-odds: near 0 or 1 a probability barely moves
 * even when the model's evidence changes a lot, so ranking by probability left a 99.9 % customer with no
 * reason at all. `delta` stays the probability difference, which is what the page shows.
 */
export function pickReasons(
	withAll: number,
	variants: readonly { reason: Omit<Reason, 'delta'>; without: number }[],
	maxReasons = 3,
	minLogOdds = 0.02
): Reason[] {
	const base = logOdds(withAll);
	return variants
		.map((v) => ({ reason: v.reason, shift: base - logOdds(v.without), delta: Math.round((withAll - v.without) * 1e4) / 1e4 }))
		.filter((v) => v.shift >= minLogOdds && v.delta > 0)
		.sort((a, b) => b.shift - a.shift)
		.slice(0, maxReasons)
		.map((v) => ({ ...v.reason, delta: v.delta }));
}
