import { describe, expect, it } from 'vitest';
import { hashSeed, Rng } from './rng';

describe('Rng', () => {
	it('repeats its stream for the same seed and differs for another', () => {
		const a = new Rng(7);
		const b = new Rng(7);
		const c = new Rng(8);
		const xs = Array.from({ length: 50 }, () => a.next());
		expect(Array.from({ length: 50 }, () => b.next())).toEqual(xs);
		expect(Array.from({ length: 50 }, () => c.next())).not.toEqual(xs);
	});

	it('keeps int() within its inclusive bounds and reaches both ends', () => {
		const r = new Rng(1);
		const seen = new Set<number>();
		for (let i = 0; i < 2000; i++) seen.add(r.int(3, 6));
		expect([...seen].sort()).toEqual([3, 4, 5, 6]);
	});

	it('draws Poisson counts with the requested mean', () => {
		const r = new Rng(2);
		let sum = 0;
		for (let i = 0; i < 20_000; i++) sum += r.poisson(0.7);
		expect(sum / 20_000).toBeGreaterThan(0.67);
		expect(sum / 20_000).toBeLessThan(0.73);
	});

	it('picks weighted keys in proportion', () => {
		const r = new Rng(3);
		let a = 0;
		for (let i = 0; i < 10_000; i++) if (r.weighted({ a: 3, b: 1 }) === 'a') a++;
		expect(a / 10_000).toBeGreaterThan(0.72);
		expect(a / 10_000).toBeLessThan(0.78);
	});

	it('derives different sub-seeds for different parts', () => {
		expect(hashSeed('ab', 'c')).not.toBe(hashSeed('a', 'bc'));
		expect(hashSeed('customer', 42, 1)).toBe(hashSeed('customer', 42, 1));
	});
});
