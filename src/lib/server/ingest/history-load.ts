// While a history is loaded in bulk (the demo's seeding on first start), every customer looks as if it
// had gone quiet on whatever day the load has reached. Judged then, customer rules opened ~1,500 work
// items on a 5,000-customer demo for customers whose later months were not stored yet, and the scorer
// scored everyone on part of their history. The loops that judge customers skip their turn meanwhile.
const KEY = Symbol.for('cx-command.history-loads');
type WithLoads = typeof globalThis & { [KEY]?: number };
const g = globalThis as WithLoads;

/** Marks a bulk load as running; call the returned function when it ends, however it ends (repeat calls are no-ops). */
export function beginHistoryLoad(): () => void {
	g[KEY] = (g[KEY] ?? 0) + 1;
	let ended = false;
	return () => {
		if (ended) return;
		ended = true;
		g[KEY] = Math.max(0, (g[KEY] ?? 1) - 1);
	};
}

export function historyLoading(): boolean {
	return (g[KEY] ?? 0) > 0;
}
