// `npm start` as services and terminals stop it. A container (`CMD npm start`) or a systemd unit with
// KillMode=process signals npm alone: the server must stop with it, not stay behind serving and holding
// the database. Ctrl-C in a terminal signals every process of the group, so the server gets SIGINT twice
// (from the terminal and from npm): it must still stop cleanly, leaving no .wal behind.
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { descendantProcesses, isRunning } from '../helpers/processes';
import { freePort, ROOT } from '../helpers/server';

let dir: string;
let npm: ChildProcess | undefined;
let serverPid: number | undefined;

beforeEach(() => {
	// npm runs the project's own package.json and scripts from a folder with no src/, next to the built
	// app: `npm start` then never starts a build of its own (that is `npm test`'s first step).
	dir = mkdtempSync(join(tmpdir(), 'cx-npm-start-'));
	cpSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
	cpSync(join(ROOT, 'scripts'), join(dir, 'scripts'), { recursive: true });
	symlinkSync(join(ROOT, 'build'), join(dir, 'build'));
	mkdirSync(join(dir, 'models'));
});

afterEach(() => {
	// Whatever a failed run left behind: npm's process group, and the server if it outlived npm.
	for (const kill of [() => npm?.pid && process.kill(-npm.pid, 'SIGKILL'), () => serverPid && process.kill(serverPid, 'SIGKILL')]) {
		try {
			kill();
		} catch {
			/* already gone */
		}
	}
	npm = serverPid = undefined;
	rmSync(dir, { recursive: true, force: true });
});

/** `npm start` in a process group of its own, as a service manager or a terminal runs it; resolves once healthy. */
async function npmStart(): Promise<{ url: string; dbPath: string; npmExit: Promise<void>; output: () => string }> {
	const port = await freePort();
	const url = `http://127.0.0.1:${port}`;
	const dbPath = join(dir, 'cx.duckdb');
	const env: Record<string, string | undefined> = { ...process.env, PORT: String(port), HOST: '127.0.0.1', ORIGIN: undefined };
	Object.assign(env, { CX_DB: dbPath, CX_MODELS_DIR: join(dir, 'models'), CX_DEMO: 'off', CX_LOG_LEVEL: 'warn' });
	for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
	const child = spawn('npm', ['start'], { cwd: dir, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
	npm = child;
	let out = '';
	child.stdout.on('data', (d: Buffer) => (out += d.toString()));
	child.stderr.on('data', (d: Buffer) => (out += d.toString()));
	const npmExit = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	const deadline = Date.now() + 60_000;
	for (;;) {
		if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode}:\n${out}`);
		if (await fetch(`${url}/api/v1/health`).then((r) => r.ok, () => false)) break;
		if (Date.now() > deadline) throw new Error(`npm start did not become healthy:\n${out}`);
		await new Promise((r) => setTimeout(r, 150));
	}
	// The server: the node process running scripts/start.js under npm (not a shell around it).
	serverPid = descendantProcesses(child.pid!).find((p) => /(^|\/)node$/.test(p.argv[0]) && p.argv.includes('scripts/start.js'))?.pid;
	expect(serverPid, out).toBeDefined();
	return { url, dbPath, npmExit, output: () => out };
}

async function waitGone(pid: number, ms: number): Promise<boolean> {
	const deadline = Date.now() + ms;
	while (isRunning(pid)) {
		if (Date.now() > deadline) return false;
		await new Promise((r) => setTimeout(r, 100));
	}
	return true;
}

/** The server's address no longer answers, and another process can open its database (the lock is free). */
async function expectReleased(url: string, dbPath: string, output: string) {
	expect(await fetch(`${url}/api/v1/health`).then(() => 'answered', () => 'refused'), output).toBe('refused');
	// A graceful stop writes everything into the file: nothing is left to replay.
	expect(existsSync(`${dbPath}.wal`), output).toBe(false);
	const db = await DuckDBInstance.create(dbPath);
	const c = await db.connect();
	const users = (await c.runAndReadAll('SELECT count(*)::INTEGER AS n FROM users')).getRowObjects()[0].n;
	c.closeSync();
	db.closeSync();
	// The admin created at first start is in the file.
	expect(users).toBe(1);
}

describe('npm start and signals', () => {
	it('stops the server when only npm gets SIGTERM (docker stop, systemd KillMode=process)', async () => {
		const s = await npmStart();
		process.kill(npm!.pid!, 'SIGTERM');
		expect(await waitGone(serverPid!, 15_000), `server still running after npm got SIGTERM:\n${s.output()}`).toBe(true);
		await s.npmExit;
		await expectReleased(s.url, s.dbPath, s.output());
	}, 120_000);

	it('stops cleanly on Ctrl-C, which signals npm and the server both', async () => {
		const s = await npmStart();
		// The terminal's SIGINT; npm forwards its own copy a moment later. A copy that arrives while Node exits
		// kills the process outright, so by then the file must be complete.
		process.kill(-npm!.pid!, 'SIGINT');
		expect(await waitGone(serverPid!, 15_000), s.output()).toBe(true);
		await s.npmExit;
		await expectReleased(s.url, s.dbPath, s.output());
	}, 120_000);
});
