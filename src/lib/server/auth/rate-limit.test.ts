import { describe, expect, it } from 'vitest';
import { LoginRateLimiter } from './rate-limit';

describe('login rate limit', () => {
	const t0 = 1_700_000_000_000;

	it('blocks after max failures within the window and says for how long', () => {
		const l = new LoginRateLimiter(3, 60_000);
		for (let i = 0; i < 3; i++) {
			expect(l.check('bob', '1.2.3.4', t0 + i * 1000)).toEqual({ ok: true });
			l.recordFailure('bob', '1.2.3.4', t0 + i * 1000);
		}
		expect(l.check('bob', '1.2.3.4', t0 + 3000)).toEqual({ ok: false, retryAfterSeconds: 57 });
		expect(l.check('BOB ', '1.2.3.4', t0 + 3000).ok).toBe(false);
	});

	it('counts per user and address', () => {
		const l = new LoginRateLimiter(1, 60_000);
		l.recordFailure('bob', '1.2.3.4', t0);
		expect(l.check('bob', '5.6.7.8', t0).ok).toBe(true);
		expect(l.check('alice', '1.2.3.4', t0).ok).toBe(true);
	});

	it('frees up as failures leave the window', () => {
		const l = new LoginRateLimiter(2, 60_000);
		l.recordFailure('bob', 'a', t0);
		l.recordFailure('bob', 'a', t0 + 30_000);
		expect(l.check('bob', 'a', t0 + 59_999).ok).toBe(false);
		expect(l.check('bob', 'a', t0 + 60_000).ok).toBe(true);
	});

	it('forgets failures after a successful sign-in', () => {
		const l = new LoginRateLimiter(1, 60_000);
		l.recordFailure('bob', 'a', t0);
		l.reset('bob', 'a');
		expect(l.check('bob', 'a', t0).ok).toBe(true);
	});
});
