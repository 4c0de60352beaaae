// `cx users add` refuses a bad name, role or an existing user before it asks for a password: on a
// terminal the password is typed twice, and should not be typed for nothing.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/run';
import { readNewPassword } from '../../src/cli/commands/users-read-password';

vi.mock('../../src/cli/commands/users-read-password', () => ({
	readNewPassword: vi.fn(async () => ({ kind: 'given', password: 'a-long-enough-password-1' }))
}));

let dir: string;
beforeAll(() => {
	dir = mkdtempSync(join(tmpdir(), 'cx-users-add-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cx(args: string[]): Promise<{ code: number; stderr: string }> {
	const lines: string[] = [];
	const spy = vi.spyOn(console, 'error').mockImplementation((s: unknown) => void lines.push(String(s)));
	const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
	try {
		return { code: await main([...args, '--db', join(dir, 'cx.duckdb')]), stderr: lines.join('\n') };
	} finally {
		spy.mockRestore();
		log.mockRestore();
	}
}

describe('cx users add', () => {
	it('says what is wrong before asking for a password', async () => {
		// A role outside the list is a usage error (exit 2, like a missing one); a bad name is refused (exit 1).
		const cases: [string[], string, number][] = [
			[['users', 'add', 'zed', '--role', 'god'], '--role "god" is not one of admin, analyst, retention, executive', 2],
			[['users', 'add', 'a b', '--role', 'analyst'], 'username "a b" is not valid', 1]
		];
		for (const [args, message, code] of cases) {
			vi.mocked(readNewPassword).mockClear();
			const r = await cx(args);
			expect(r.code).toBe(code);
			expect(r.stderr).toContain(message);
			expect(readNewPassword).not.toHaveBeenCalled();
		}
		expect((await cx(['users', 'add', 'paula', '--role', 'analyst'])).code).toBe(0);
		vi.mocked(readNewPassword).mockClear();
		const again = await cx(['users', 'add', 'Paula', '--role', 'retention']);
		expect(again.stderr).toContain('a user called "paula" already exists');
		expect(readNewPassword).not.toHaveBeenCalled();
	});
});
