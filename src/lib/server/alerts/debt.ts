// Experience-debt arithmetic (DESIGN §5): contributions add points, debt halves every half-life.
// Pure functions; the ingest applier does the same arithmetic in SQL and tests check they agree.

const DAY_MS = 86_400_000;

export interface DebtState {
	debt: number;
	/** Time the debt value refers to (ms since epoch). */
	at: number;
}

export interface Contribution {
	at: number;
	points: number;
}

/** Debt decayed from `from` to `to`; time never runs backwards (to < from leaves it unchanged). */
export function decayDebt(debt: number, from: number, to: number, halfLifeDays: number): number {
	if (halfLifeDays <= 0) throw new Error(`half-life must be positive, got ${halfLifeDays}`);
	const dt = Math.max(0, to - from);
	return debt * Math.pow(0.5, dt / (halfLifeDays * DAY_MS));
}

/**
 * Adds contributions to a debt state. Each contribution decays from its own time to the new state
 * time (the latest of the old time and the contributions), so the result does not depend on the
 * order the events arrive in. Debt never goes below zero: good experiences pay debt back, they do
 * not bank credit.
 */
export function addContributions(
	state: DebtState | null,
	contributions: Contribution[],
	halfLifeDays: number
): DebtState {
	const start = state ?? { debt: 0, at: -Infinity };
	let at = start.at;
	for (const c of contributions) at = Math.max(at, c.at);
	if (at === -Infinity) return { debt: 0, at: 0 };
	let debt = start.at === -Infinity ? 0 : decayDebt(start.debt, start.at, at, halfLifeDays);
	for (const c of contributions) debt += c.points * Math.pow(0.5, (at - c.at) / (halfLifeDays * DAY_MS));
	return { debt: Math.max(0, debt), at };
}

/** The debt a state holds at time `now`. */
export function debtAt(state: DebtState, now: number, halfLifeDays: number): number {
	return decayDebt(state.debt, state.at, now, halfLifeDays);
}

/** When (ms) a debt now above `limit` will decay below it if nothing else happens; null if already below. */
export function belowLimitAt(state: DebtState, limit: number, halfLifeDays: number): number | null {
	if (state.debt < limit || limit <= 0) return null;
	return state.at + Math.log2(state.debt / limit) * halfLifeDays * DAY_MS;
}
