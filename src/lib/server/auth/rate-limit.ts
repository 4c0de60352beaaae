// Failed sign-ins per (username, client address) within a sliding window. In memory: one process serves
// the app (DESIGN §1), and a restart forgetting counts only helps a legitimate user.
import { config } from '../config';

export type RateCheck = { ok: true } | { ok: false; retryAfterSeconds: number };

export class LoginRateLimiter {
	private readonly failures = new Map<string, number[]>();

	constructor(
		private readonly maxAttempts: number,
		private readonly windowMs: number
	) {}

	private key(username: string, address: string): string {
		return `${username.trim().toLowerCase()}\u0000${address}`;
	}

	private recent(key: string, now: number): number[] {
		const list = (this.failures.get(key) ?? []).filter((t) => now - t < this.windowMs);
		if (list.length) this.failures.set(key, list);
		else this.failures.delete(key);
		return list;
	}

	/** Whether another attempt may be made now. */
	check(username: string, address: string, now: number = Date.now()): RateCheck {
		const list = this.recent(this.key(username, address), now);
		if (list.length < this.maxAttempts) return { ok: true };
		// Blocked until enough failures have aged out of the window to allow one more attempt.
		const freeAt = list[list.length - this.maxAttempts] + this.windowMs;
		return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((freeAt - now) / 1000)) };
	}

	recordFailure(username: string, address: string, now: number = Date.now()): void {
		const key = this.key(username, address);
		const list = this.recent(key, now);
		list.push(now);
		this.failures.set(key, list);
		if (this.failures.size > 10_000) this.prune(now);
	}

	/** A successful sign-in forgets earlier failures. */
	reset(username: string, address: string): void {
		this.failures.delete(this.key(username, address));
	}

	private prune(now: number): void {
		for (const key of [...this.failures.keys()]) this.recent(key, now);
	}
}

let shared: LoginRateLimiter | undefined;

/** The process-wide limiter configured by CX_LOGIN_MAX_ATTEMPTS / CX_LOGIN_WINDOW_SECONDS. */
export function loginRateLimiter(): LoginRateLimiter {
	shared ??= new LoginRateLimiter(config().loginMaxAttempts, config().loginWindowSeconds * 1000);
	return shared;
}
