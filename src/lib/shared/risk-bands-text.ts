// One sentence for a model's risk bands, the same on the Models page and in `cx train`.
import { chance } from './format';

export interface BandsForText {
	medium: number;
	high: number;
	/** Share of the validation customers at or above each bound; null/absent for fixed bands. */
	validation_share?: { medium: number; high: number } | null;
}

/** A share of customers, in whole percents (the bands' targets are 10 % and 20 %). */
const share = (x: number) => `${(x * 100).toFixed(0)} %`;

export function describeBands(b: BandsForText): string {
	// Bounds as customers' scores are shown (format.ts chance), so a score reads as in the band it is in.
	const bounds = `high from ${chance(b.high)}, medium from ${chance(b.medium)} churn probability`;
	const s = b.validation_share;
	return s
		? `${bounds}: the riskiest ${share(s.high)} and the next ${share(s.medium - s.high)} of the validation customers`
		: `${bounds}: fixed bands (a version trained before bands were set from its validation customers)`;
}
