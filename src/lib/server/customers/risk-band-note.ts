// Why a score is in its band, for the customer page: bands are set per model from its validation
// customers (churn/risk-bands.ts), so a 16 % chance can be "high risk" — it is among that model's riskiest
// 10 %. Said only when the scoring version's metadata records the shares; a version saved with fixed
// bands, removed from the registry or unreadable gets no note rather than an error.
import { isVersionName, readMetadata } from '../churn/registry';
import { savedBands, type RiskBands } from '../churn/risk-bands';

// A saved version's metadata never changes, so each is read once per process (misses are read again:
// the version may be copied into the registry later).
type Share = NonNullable<RiskBands['validation_share']>;
const shares = new Map<string, Share>();

function validationShare(modelsDir: string, version: string): Share | null {
	const key = `${modelsDir}\0${version}`;
	const hit = shares.get(key);
	if (hit) return hit;
	let share: Share | undefined;
	try {
		share = savedBands(readMetadata(modelsDir, version).bands)?.validation_share;
	} catch {
		return null;
	}
	const ok = (x: number) => x > 0 && x <= 1;
	if (!share || !ok(share.medium) || !ok(share.high)) return null;
	shares.set(key, share);
	return share;
}

const pct = (x: number) => `${(x * 100).toLocaleString('en-GB', { maximumFractionDigits: 1 })} %`;

/**
 * "among the riskiest 10 % of customers for model v0001" for a high score, and the like for medium and
 * low; null when the version's metadata does not say its bands' shares.
 */
export function riskBandNote(modelsDir: string, version: string | null, band: string | null): string | null {
	if (!version || !isVersionName(version)) return null;
	const share = validationShare(modelsDir, version);
	if (!share) return null;
	const of = `of customers for model ${version}`;
	switch (band) {
		case 'high':
			return `among the riskiest ${pct(share.high)} ${of}`;
		case 'medium':
			return `among the riskiest ${pct(share.medium)} ${of}, below the top ${pct(share.high)}`;
		case 'low':
			return `outside the riskiest ${pct(share.medium)} ${of}`;
		default:
			return null;
	}
}
