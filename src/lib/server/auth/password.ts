// Passwords: argon2id (the @node-rs/argon2 default algorithm) with its recommended cost parameters.
import { hash, verify } from '@node-rs/argon2';
import { generateSecret } from './secret-token';

export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 256;

export function hashPassword(password: string): Promise<string> {
	return hash(password);
}

/** False (not an exception) for a malformed stored hash: a broken row must not become a 500 on login. */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
	try {
		return await verify(passwordHash, password);
	} catch {
		return false;
	}
}

/** A random password for first start, resets and `users add` without input: 32 base32 characters. */
export function generatePassword(): string {
	return generateSecret().slice(0, 32);
}

/** A readable reason why a chosen password is not acceptable, or null. */
export function checkPassword(password: string): string | null {
	if (password.length < MIN_PASSWORD_LENGTH) return `password must be at least ${MIN_PASSWORD_LENGTH} characters`;
	if (password.length > MAX_PASSWORD_LENGTH) return `password must be at most ${MAX_PASSWORD_LENGTH} characters`;
	return null;
}

/**
 * A valid argon2id hash of a random password, computed once: unknown usernames are verified against it so
 * "no such user" takes as long as "wrong password" and usernames cannot be discovered by timing.
 */
let dummy: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
	dummy ??= hashPassword(generatePassword());
	return dummy;
}
