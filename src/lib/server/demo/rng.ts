// A small seeded random source (mulberry32): the same seed gives the same stream on every platform,
// which is what makes the demo world reproducible down to event ids.

/** 32-bit string/number mixing (FNV-1a then a murmur finaliser) for deriving sub-seeds. */
export function hashSeed(...parts: (string | number)[]): number {
	let h = 0x811c9dc5;
	for (const part of parts) {
		const s = String(part);
		for (let i = 0; i < s.length; i++) {
			h ^= s.charCodeAt(i);
			h = Math.imul(h, 0x01000193);
		}
		h ^= 0x2f; // separator, so ('ab','c') differs from ('a','bc')
		h = Math.imul(h, 0x01000193);
	}
	h ^= h >>> 16;
	h = Math.imul(h, 0x85ebca6b);
	h ^= h >>> 13;
	h = Math.imul(h, 0xc2b2ae35);
	h ^= h >>> 16;
	return h >>> 0;
}

export class Rng {
	private state: number;

	constructor(seed: number) {
		this.state = seed >>> 0;
	}

	/** Uniform in [0, 1). */
	next(): number {
		this.state = (this.state + 0x6d2b79f5) >>> 0;
		let t = this.state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	}

	uniform(min: number, max: number): number {
		return min + (max - min) * this.next();
	}

	/** Integer in [min, max] inclusive. */
	int(min: number, max: number): number {
		return min + Math.floor(this.next() * (max - min + 1));
	}

	chance(p: number): boolean {
		return this.next() < p;
	}

	pick<T>(items: readonly T[]): T {
		return items[Math.floor(this.next() * items.length)];
	}

	/** Picks a key with probability proportional to its weight. */
	weighted<K extends string>(weights: Readonly<Partial<Record<K, number>>>): K {
		const keys = Object.keys(weights) as K[];
		let total = 0;
		for (const k of keys) total += weights[k] ?? 0;
		let x = this.next() * total;
		for (const k of keys) {
			x -= weights[k] ?? 0;
			if (x < 0) return k;
		}
		return keys[keys.length - 1];
	}

	/** Standard normal (Box–Muller). */
	normal(mean = 0, sd = 1): number {
		const u = 1 - this.next();
		const v = this.next();
		return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
	}

	/** Log-normal with the given median and log-scale spread. */
	logNormal(median: number, sigma: number): number {
		return median * Math.exp(this.normal(0, sigma));
	}

	exponential(mean: number): number {
		return -mean * Math.log(1 - this.next());
	}

	/** Poisson count; Knuth's method for small means, normal approximation for large ones. */
	poisson(mean: number): number {
		if (mean <= 0) return 0;
		if (mean > 50) return Math.max(0, Math.round(this.normal(mean, Math.sqrt(mean))));
		const limit = Math.exp(-mean);
		let k = 0;
		let p = this.next();
		while (p > limit) {
			k++;
			p *= this.next();
		}
		return k;
	}
}
