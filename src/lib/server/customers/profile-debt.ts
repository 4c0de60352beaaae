// Experience debt over time for the customer page: the debt just before and after each
// contribution, with decay points in between so the chart shows the curve, ending at `now`.
import { decayDebt } from '../alerts/debt';

export interface DebtPoint {
	at: number;
	debt: number;
}

/** Contributions in time order (as stored); the debt never goes below zero, as at ingest. */
export function debtSeries(
	contributions: readonly { at: number; points: number }[],
	halfLifeDays: number,
	now: number,
	samplesPerGap = 6
): DebtPoint[] {
	const out: DebtPoint[] = [];
	let debt = 0;
	let at = contributions.length ? contributions[0].at : now;
	const sorted = [...contributions].sort((a, b) => a.at - b.at);
	const decayTo = (to: number) => {
		if (to <= at) return;
		const step = (to - at) / samplesPerGap;
		const d0 = debt;
		const t0 = at;
		for (let i = 1; i <= samplesPerGap; i++)
			out.push({ at: t0 + step * i, debt: decayDebt(d0, t0, t0 + step * i, halfLifeDays) });
		debt = decayDebt(d0, t0, to, halfLifeDays);
		at = to;
	};
	for (const c of sorted) {
		decayTo(c.at);
		if (!out.length || out[out.length - 1].at !== c.at) out.push({ at: c.at, debt });
		debt = Math.max(0, debt + c.points);
		out.push({ at: c.at, debt });
	}
	decayTo(now);
	if (!out.length) out.push({ at: now, debt: 0 });
	return out;
}
