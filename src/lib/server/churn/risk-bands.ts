// Risk bands are set from the model's own validation customers, not fixed probabilities: calibrated
// probabilities sit near the base rate, so on a world where 6 % of customers churn in 30 days no one
// reached a fixed 60 % "high" and the at-risk tiles read 0; on one where 43 % churn in 91 days most
// customers would. "High" is the riskiest 10 % of the validation customers, "medium" the next 20 %.

export interface RiskBands {
	/** Lowest probability of each band (a score at or above it is in the band). */
	medium: number;
	high: number;
	/** Share of the validation customers at or above each bound; absent for fixed bands (older versions). */
	validation_share?: { medium: number; high: number };
}

/** Fixed bands of versions saved before the bands were fitted, and the fallback for degenerate scores. */
export const DEFAULT_BANDS: RiskBands = { medium: 0.3, high: 0.6 };

/** Share of the validation customers each band starts at (high: top 10 %; medium: top 30 %). */
export const BAND_SHARES = { high: 0.1, medium: 0.3 } as const;

/** Fewer validation customers than this cannot place a top decile with any meaning. */
const MIN_CUSTOMERS = 20;

export type RiskBand = 'low' | 'medium' | 'high';

const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

/**
 * A version's bands as its metadata.json holds them (hand-edited or older files may lack parts): null
 * unless both bounds are numbers; the validation share only when both of its numbers are.
 */
export function savedBands(x: unknown): RiskBands | null {
	const o = (typeof x === 'object' && x !== null ? x : {}) as Record<string, unknown>;
	if (!finite(o.medium) || !finite(o.high)) return null;
	const s = (typeof o.validation_share === 'object' && o.validation_share !== null ? o.validation_share : {}) as Record<string, unknown>;
	return finite(s.medium) && finite(s.high)
		? { medium: o.medium, high: o.high, validation_share: { medium: s.medium, high: s.high } }
		: { medium: o.medium, high: o.high };
}

/**
 * The bands a version scores with: its saved ones, or the fixed DEFAULT_BANDS when its metadata holds none
 * (or only part). The scorer and every reader of a stored score's band go through this, so a band worked
 * out later for an old score is the one the scorer gave.
 */
export function scoringBands(metadataBands: unknown): RiskBands {
	return savedBands(metadataBands) ?? DEFAULT_BANDS;
}

export function riskBand(p: number, bands: Pick<RiskBands, 'medium' | 'high'>): RiskBand {
	return p >= bands.high ? 'high' : p >= bands.medium ? 'medium' : 'low';
}

/**
 * Bands from calibrated validation probabilities: each bound is the lowest probability among the top
 * share of customers. Ties at a bound put every tied customer in the band, so the recorded share can
 * exceed the target; scores that cannot tell the bands apart (too few, or all equal) keep the fixed bands.
 */
export function bandsFromValidation(prob: ArrayLike<number>): RiskBands {
	const sorted = Array.from(prob)
		.filter((p) => Number.isFinite(p))
		.sort((a, b) => b - a);
	const n = sorted.length;
	if (n < MIN_CUSTOMERS) return DEFAULT_BANDS;
	const bound = (share: number) => sorted[Math.max(0, Math.ceil(share * n) - 1)];
	const high = bound(BAND_SHARES.high);
	const medium = bound(BAND_SHARES.medium);
	if (!(medium < high) || !(medium > 0)) return DEFAULT_BANDS;
	const shareAtLeast = (x: number) => sorted.filter((p) => p >= x).length / n;
	return { medium, high, validation_share: { medium: shareAtLeast(medium), high: shareAtLeast(high) } };
}
