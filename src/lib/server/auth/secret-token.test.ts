import { describe, expect, it } from 'vitest';
import { createSecretToken, hashSecret, parseSecretToken, verifySecret } from './secret-token';

describe('secret tokens', () => {
	it('are id.secret in lower-case base32 and verify against the stored hash only', () => {
		const t = createSecretToken();
		expect(t.token).toMatch(/^[a-z2-7]{24}\.[a-z2-7]{32}$/);
		expect(t.secretHashHex).toMatch(/^[0-9a-f]{64}$/);
		expect(t.secretHashHex).not.toContain(t.secret);
		const parts = parseSecretToken(t.token)!;
		expect(parts).toEqual({ id: t.id, secret: t.secret });
		expect(verifySecret(parts.secret, t.secretHashHex)).toBe(true);
		expect(verifySecret(parts.secret, t.secretHashHex.toUpperCase())).toBe(true);
	});

	it('rejects a different secret with the same id', () => {
		const t = createSecretToken();
		const other = createSecretToken();
		expect(verifySecret(other.secret, t.secretHashHex)).toBe(false);
	});

	it('never repeats', () => {
		const seen = new Set(Array.from({ length: 500 }, () => createSecretToken().token));
		expect(seen.size).toBe(500);
	});

	it.each([null, undefined, '', 'nodot', '.abc', 'abcdefgh.', 'ABCDEFGH.abcdefgh', 'abcdefgh.abc def', 'abcdefgh.abcdefgh.x'])(
		'refuses malformed %j without a lookup',
		(raw) => {
			expect(parseSecretToken(raw)).toBeNull();
		}
	);

	it('hashes with SHA-256', () => {
		expect(hashSecret('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
	});
});
