import { describe, expect, it } from 'vitest';
import { DEBT_STALE_MS, debtWhen, freshest } from './live-debt.svelte';
import { toleranceDebtText } from './item-debt';

const time = (at: number) => new Date(at).toISOString().slice(11, 16);
const T = Date.UTC(2026, 11, 7, 14, 32);

describe('a work-list row kept current', () => {
	it('says "now" for a figure read within the minute, and when it was read after that', () => {
		expect(debtWhen(T, T + DEBT_STALE_MS, time)).toBe('now');
		expect(debtWhen(T, T + DEBT_STALE_MS + 1, time)).toBe('at 14:32');
		expect(toleranceDebtText({ debt: 31, limit: 23 }, 12, 23, debtWhen(T, T + 3_600_000, time))).toBe(
			'debt 12 pts at 14:32 (31 at opening), limit 23 pts'
		);
	});

	it("shows the newer of the load's figure and a re-read's, with its time", () => {
		const item = { id: 'w1', debt_now: 12, limit_now: 23, state: 'open' };
		expect(freshest(item, T, undefined)).toEqual({ ...item, debt_at: T });
		// A re-read that started before this load (a reload overtook it) does not put older figures back.
		expect(freshest(item, T, { debt_now: 40, limit_now: 25, at: T - 1 })).toEqual({ ...item, debt_at: T });
		expect(freshest(item, T, { debt_now: 40, limit_now: 25, at: T + 5 })).toEqual({
			...item,
			debt_now: 40,
			limit_now: 25,
			debt_at: T + 5
		});
	});
});
