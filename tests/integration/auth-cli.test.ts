// The access commands as an operator runs them: `npm run cx -- users|keys|display-token …` (tsx, real DuckDB file).
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../helpers/server';
import { getDb, shutdownDb } from '../../src/lib/server/db';
import { findUserByUsername } from '../../src/lib/server/auth/users';
import { verifyPassword } from '../../src/lib/server/auth/password';
import { validateApiKey } from '../../src/lib/server/auth/api-keys';
import { validateDisplayToken } from '../../src/lib/server/auth/display-tokens';

// Each command is a fresh tsx process that loads every command module (seconds each on 2 cores).
vi.setConfig({ testTimeout: 120_000 });

let dir: string;
let dbPath: string;

function cx(args: string[], input = ''): { status: number | null; lines: string[]; stderr: string } {
	const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', ...args, '--db', dbPath], { cwd: ROOT, encoding: 'utf8', input });
	return { status: r.status, lines: r.stdout.trim().split('\n'), stderr: r.stderr };
}

async function withDb<T>(fn: (db: Awaited<ReturnType<typeof getDb>>) => Promise<T>): Promise<T> {
	const db = await getDb(dbPath);
	try {
		return await fn(db);
	} finally {
		await shutdownDb(dbPath);
	}
}

beforeAll(() => {
	dir = mkdtempSync(join(tmpdir(), 'cx-auth-cli-'));
	dbPath = join(dir, 'cx.duckdb');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('cx users', () => {
	it('adds a user with the password piped on stdin, never printing it', async () => {
		const r = cx(['users', 'add', 'Paula', '--role', 'retention'], 'piped-password-123\n');
		expect(r.status, r.stderr).toBe(0);
		expect(r.lines.join('\n')).not.toContain('piped-password-123');
		expect(r.lines.at(-1)).toMatch(/^created user paula \(role retention, id [a-z2-7]+\)$/);
		const ok = await withDb(async (db) => verifyPassword((await findUserByUsername(db, 'paula'))!.passwordHash, 'piped-password-123'));
		expect(ok).toBe(true);
	});

	it('generates a password when stdin is empty and prints it once, on the last line', async () => {
		const r = cx(['users', 'add', 'gina', '--role', 'executive']);
		expect(r.status, r.stderr).toBe(0);
		const pw = r.lines.at(-1)!;
		expect(pw).toMatch(/^[a-z2-7]{32}$/);
		expect(r.lines.filter((l) => l.includes(pw))).toHaveLength(1);
		const ok = await withDb(async (db) => verifyPassword((await findUserByUsername(db, 'gina'))!.passwordHash, pw));
		expect(ok).toBe(true);
	});

	it('refuses bad input with a clear message', () => {
		const boss = cx(['users', 'add', 'x', '--role', 'boss']);
		expect([boss.status, boss.stderr]).toEqual([2, expect.stringContaining('--role "boss" is not one of admin, analyst, retention, executive')]);
		expect(cx(['users', 'add', 'paula', '--role', 'analyst'], 'another-password-1\n').stderr).toContain('a user called "paula" already exists');
		expect(cx(['users', 'add', 'y', '--role', 'analyst'], 'short\n').stderr).toContain('at least 10 characters');
		const noRole = cx(['users', 'add', 'z']);
		expect(noRole.status).toBe(2);
		expect(noRole.stderr).toContain('--role is required');
	});

	it('lists users without secrets', () => {
		const r = cx(['users', 'list']);
		expect(r.status).toBe(0);
		expect(r.lines[0]).toMatch(/^USERNAME\s+ROLE\s+STATUS/);
		expect(r.lines.some((l) => /^gina\s+executive\s+active/.test(l))).toBe(true);
		expect(r.lines.some((l) => /^paula\s+retention\s+active/.test(l))).toBe(true);
	});
});

describe('cx keys', () => {
	it('creates a key (secret on the last line), lists and revokes it', async () => {
		const r = cx(['keys', 'create', '--scope', 'ingest', '--name', 'shop webhook']);
		expect(r.status, r.stderr).toBe(0);
		const token = r.lines.at(-1)!;
		const id = /id ([a-z2-7]+)/.exec(r.lines[0])![1];
		expect(await withDb((db) => validateApiKey(db, token))).toMatchObject({ kind: 'api-key', scope: 'ingest', name: 'shop webhook' });
		const list = cx(['keys', 'list']);
		expect(list.lines.join('\n')).toMatch(new RegExp(`${id}\\s+ingest\\s+active`));
		expect(list.lines.join('\n')).not.toContain(token);
		expect(cx(['keys', 'revoke', id]).status).toBe(0);
		expect(await withDb((db) => validateApiKey(db, token))).toBeNull();
		expect(cx(['keys', 'list']).lines.join('\n')).toMatch(new RegExp(`${id}\\s+ingest\\s+revoked`));
	});

	it('refuses an unknown scope and an unknown id', () => {
		const root = cx(['keys', 'create', '--scope', 'root']);
		expect([root.status, root.stderr]).toEqual([2, expect.stringContaining('--scope "root" is not one of ingest, admin, analyst, retention, executive')]);
		expect(cx(['keys', 'revoke', 'nope']).stderr).toContain('no API key with id "nope"');
	});
});

describe('cx display-token', () => {
	it('prints the wall path once, on the last line, and revokes', async () => {
		const r = cx(['display-token', 'create', '--board', 'main']);
		expect(r.status, r.stderr).toBe(0);
		const path = r.lines.at(-1)!;
		const m = /^\/wall\/main\?token=([a-z2-7]+\.[a-z2-7]+)$/.exec(path);
		expect(m).not.toBeNull();
		const id = /id ([a-z2-7]+)/.exec(r.lines[0])![1];
		expect(await withDb((db) => validateDisplayToken(db, m![1]))).toEqual({ kind: 'display', tokenId: id, board: 'main' });
		expect(cx(['display-token', 'revoke', id]).status).toBe(0);
		expect(await withDb((db) => validateDisplayToken(db, m![1]))).toBeNull();
	});

	it('accepts a custom board, and lists the custom boards among those it names', async () => {
		await withDb(async (db) => {
			const { createBoard } = await import('../../src/lib/server/metrics/board-edits');
			const r = await createBoard(db, { name: 'vip', title: 'VIP', window: '7d', tiles: ['nps'] }, 'test');
			if (!r.ok) throw new Error(r.error);
		});
		const r = cx(['display-token', 'create', '--board', 'vip']);
		expect(r.status, r.stderr).toBe(0);
		expect(r.lines.at(-1)).toMatch(/^\/wall\/vip\?token=/);
		const lobby = cx(['display-token', 'create', '--board', 'lobby']);
		expect([lobby.status, lobby.stderr]).toEqual([2, expect.stringContaining('--board "lobby" is not one of main, support, retention, vip')]);
		const boards = cx(['boards']);
		expect(boards.status, boards.stderr).toBe(0);
		expect(boards.lines).toContainEqual(expect.stringMatching(/^main\s+built-in\s+1h\s+30 s, main → support → retention\s+Customer experience — last hour; csat, nps/));
		expect(boards.lines).toContainEqual(expect.stringMatching(/^vip\s+custom\s+7d\s+none\s+VIP; nps$/));
	});

	it('names the boards when the board does not exist', () => {
		const lobby = cx(['display-token', 'create', '--board', 'lobby']);
		expect([lobby.status, lobby.stderr]).toEqual([2, expect.stringContaining('--board "lobby" is not one of main, support, retention')]);
	});
});
