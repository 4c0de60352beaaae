import { describe, expect, it } from 'vitest';
import { pickReasons, type Reason } from './explain';

const r = (feature: string): Omit<Reason, 'delta'> => ({ kind: 'event_type', feature, label: `${feature} events` });

describe('pickReasons', () => {
	it('ranks what raises the risk by log-odds, so a near-certain score still gets its reasons', () => {
		// 99.9 %: taking the cancellation away moves the probability by 0.4 pp but the odds by a factor of 2.
		const picked = pickReasons(0.999, [
			{ reason: r('visit'), without: 0.9989 },
			{ reason: r('cancellation'), without: 0.995 },
			{ reason: r('complaint'), without: 0.998 },
			{ reason: r('praise'), without: 0.9995 } // lowers the risk: never a reason
		]);
		expect(picked.map((p) => [p.feature, p.delta])).toEqual([
			['cancellation', 0.004],
			['complaint', 0.001],
			['visit', 0.0001]
		]);
	});

	it('drops changes too small to matter and keeps at most maxReasons', () => {
		const variants = [0.5, 0.499, 0.45, 0.4, 0.3].map((without, i) => ({ reason: r(`t${i}`), without }));
		// 0.5 → 0.499 is 0.004 in log-odds, under the 0.02 floor.
		expect(pickReasons(0.5, variants).map((p) => p.feature)).toEqual(['t4', 't3', 't2']);
		expect(pickReasons(0.5, variants, 1).map((p) => p.feature)).toEqual(['t4']);
		expect(pickReasons(0.5, [{ reason: r('same'), without: 0.5 }])).toEqual([]);
	});
});
