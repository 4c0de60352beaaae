// One sentence for a model's risk bands, the same on the Models page and in `cx train`.

export interface BandsForText {
	medium: number;
	high: number;
	/** Share of the validation customers at or above each bound; null/absent for fixed bands. */
	validation_share?: { medium: number; high: number } | null;
}

const pct = (x: number, digits: number) => `${(x * 100).toFixed(digits)} %`;

export function describeBands(b: BandsForText): string {
	const bounds = `high from ${pct(b.high, 1)}, medium from ${pct(b.medium, 1)} churn probability`;
	const s = b.validation_share;
	return s
		? `${bounds}: the riskiest ${pct(s.high, 0)} and the next ${pct(s.medium - s.high, 0)} of the validation customers`
		: `${bounds}: fixed bands (a version trained before bands were set from its validation customers)`;
}
