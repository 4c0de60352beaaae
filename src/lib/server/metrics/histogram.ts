// Log-spaced latency histograms. Bucket 0 holds [0, 1) s; bucket b ≥ 1 holds [R^(b-1), R^b) s with
// R = 2^(1/8). A quantile is reported as the bucket's geometric midpoint R^(b-0.5), so it is within
// a factor R^0.5 = 2^(1/16) of the true value: a relative error of at most 4.5 % (0.5 s absolute
// below 1 s). 30 days fit in 172 buckets.
export const BUCKET_RATIO = 2 ** (1 / 8);
export const BUCKET_RELATIVE_ERROR = Math.sqrt(BUCKET_RATIO) - 1;

/** SQL expression giving the bucket of a duration in seconds (`secs` is an SQL expression). */
export function bucketSql(secs: string): string {
	return `CASE WHEN (${secs}) < 1 THEN 0 ELSE 1 + floor(ln(${secs}) / ${Math.log(BUCKET_RATIO)})::INTEGER END`;
}

export function bucketOf(secs: number): number {
	return secs < 1 ? 0 : 1 + Math.floor(Math.log(secs) / Math.log(BUCKET_RATIO));
}

/** Representative value (seconds) of a bucket. */
export function bucketValue(bucket: number): number {
	return bucket === 0 ? 0.5 : BUCKET_RATIO ** (bucket - 0.5);
}

/** Nearest-rank quantile q (0..1] of a histogram (bucket → count); null when empty. */
export function quantileOf(hist: ReadonlyMap<number, number>, q: number): number | null {
	let total = 0;
	for (const n of hist.values()) total += n;
	if (total <= 0) return null;
	const rank = Math.max(1, Math.ceil(q * total));
	let seen = 0;
	for (const b of [...hist.keys()].sort((x, y) => x - y)) {
		seen += hist.get(b) ?? 0;
		if (seen >= rank) return bucketValue(b);
	}
	return null;
}
