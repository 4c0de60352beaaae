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

/** A debt state after contributions, with the last moment it went from below `limit` to at or above it. */
export interface DebtUpdate extends DebtState {
	/** Time (ms) of the last contribution that took the debt from below the limit to at or above it; null if none did. */
	crossedAt: number | null;
}

/**
 * Adds contributions to a debt state in time order, as the customer page's chart draws them: debt decays
 * to each contribution, takes its points and never goes below zero (good experiences pay debt back, they
 * do not bank credit). A late contribution, older than the state, is added at the state's time decayed
 * from its own, so what arrives late does not rewrite a past already judged. `crossedAt` says when the
 * debt last crossed `limit` upwards among these contributions (DESIGN §5: "over the limit since").
 */
export function addContributions(
	state: DebtState | null,
	contributions: readonly Contribution[],
	halfLifeDays: number,
	limit = Infinity
): DebtUpdate {
	const sorted = [...contributions].sort((a, b) => a.at - b.at);
	if (!state && !sorted.length) return { debt: 0, at: 0, crossedAt: null };
	let { debt, at } = state ?? { debt: 0, at: sorted[0].at };
	let crossedAt: number | null = null;
	for (const c of sorted) {
		const when = Math.max(c.at, at);
		const pre = decayDebt(debt, at, when, halfLifeDays);
		debt = Math.max(0, pre + decayDebt(c.points, c.at, when, halfLifeDays));
		at = when;
		if (pre < limit && debt >= limit) crossedAt = when;
	}
	return { debt, at, crossedAt };
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
