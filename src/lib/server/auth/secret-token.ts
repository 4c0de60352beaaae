// The token pattern shared by sessions, API keys and display tokens (Lucia's guide): token = `${id}.${secret}`,
// both random; the database keeps only SHA-256(secret), compared in constant time, so a leaked table
// opens nothing and a lookup by id cannot be turned into a timing oracle on the secret.
import { sha256 } from '@oslojs/crypto/sha2';
import { constantTimeEqual } from '@oslojs/crypto/subtle';
import { decodeHex, encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';

/** 120 bits of randomness, base32 (lower case, no padding): 24 characters. */
export function generateRandomId(): string {
	const bytes = new Uint8Array(15);
	crypto.getRandomValues(bytes);
	return encodeBase32LowerCaseNoPadding(bytes);
}

/** 160 bits of randomness for the secret half of a token. */
export function generateSecret(): string {
	const bytes = new Uint8Array(20);
	crypto.getRandomValues(bytes);
	return encodeBase32LowerCaseNoPadding(bytes);
}

/** SHA-256 of the secret as lower-case hex: bound as text and stored with unhex() into a BLOB column. */
export function hashSecret(secret: string): string {
	return encodeHexLowerCase(sha256(new TextEncoder().encode(secret)));
}

export interface NewSecretToken {
	id: string;
	secret: string;
	/** What the holder presents: `${id}.${secret}`; shown once, never stored. */
	token: string;
	secretHashHex: string;
}

export function createSecretToken(): NewSecretToken {
	const id = generateRandomId();
	const secret = generateSecret();
	return { id, secret, token: `${id}.${secret}`, secretHashHex: hashSecret(secret) };
}

const PART = /^[a-z2-7]{8,64}$/;

/** Splits a presented token; null when it cannot be one of ours (no database lookup needed). */
export function parseSecretToken(token: string | null | undefined): { id: string; secret: string } | null {
	if (!token) return null;
	const dot = token.indexOf('.');
	if (dot < 0) return null;
	const id = token.slice(0, dot);
	const secret = token.slice(dot + 1);
	if (!PART.test(id) || !PART.test(secret)) return null;
	return { id, secret };
}

/** Constant-time check of a presented secret against the stored hash (hex from `hex(secret_hash)`). */
export function verifySecret(secret: string, storedHashHex: string): boolean {
	const stored = decodeHex(storedHashHex.toLowerCase());
	return constantTimeEqual(sha256(new TextEncoder().encode(secret)), stored);
}
