import { describe, expect, it } from 'vitest';
import { checkPassword, generatePassword, hashPassword, verifyPassword } from './password';

describe('passwords', () => {
	it('are hashed with argon2id and verified', async () => {
		const h = await hashPassword('correct horse battery');
		expect(h.startsWith('$argon2id$')).toBe(true);
		expect(h).not.toContain('correct horse');
		expect(await verifyPassword(h, 'correct horse battery')).toBe(true);
		expect(await verifyPassword(h, 'correct horse batterY')).toBe(false);
	});

	it('treat a malformed stored hash as a mismatch, not a crash', async () => {
		expect(await verifyPassword('not-a-hash', 'whatever1234')).toBe(false);
	});

	it('generate long random passwords that pass the policy', () => {
		const a = generatePassword();
		expect(a).toHaveLength(32);
		expect(checkPassword(a)).toBeNull();
		expect(generatePassword()).not.toBe(a);
	});

	it('name the rule a short password breaks', () => {
		expect(checkPassword('short')).toMatch(/at least 10 characters/);
	});
});
