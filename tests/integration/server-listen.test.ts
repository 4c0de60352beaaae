// A start that cannot listen (a port in use, a HOST that is no address here) says why in one line and exits
// 1 before anything else: no admin created, no one-time password printed into a stack trace, no database.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/server';

let busy: Server | null = null;
let dir: string;
afterEach(async () => {
	if (busy) await new Promise<void>((r) => busy!.close(() => r()));
	busy = null;
	rmSync(dir, { recursive: true, force: true });
});

/** Starts the built server as `npm start` would and waits for it to end (a start that works fails the test). */
function startExpectingExit(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
	dir = mkdtempSync(join(tmpdir(), 'cx-listen-'));
	const proc = spawn(process.execPath, [join(ROOT, 'build', 'index.js')], {
		cwd: ROOT,
		env: { ...process.env, HOST: '127.0.0.1', CX_DB: join(dir, 'cx.duckdb'), CX_DEMO: 'off', CX_LOG_LEVEL: 'info', ...env },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let output = '';
	proc.stdout.on('data', (d: Buffer) => (output += d.toString()));
	proc.stderr.on('data', (d: Buffer) => (output += d.toString()));
	const guard = setTimeout(() => proc.kill('SIGKILL'), 30_000);
	return new Promise((resolve) =>
		proc.once('exit', (code) => {
			clearTimeout(guard);
			resolve({ code, output });
		})
	);
}

describe('server start that cannot listen', () => {
	it('names a port in use and stops before creating anything', async () => {
		busy = createServer((socket) => socket.destroy());
		await new Promise<void>((r) => busy!.listen(0, '127.0.0.1', r));
		const port = (busy.address() as { port: number }).port;
		const r = await startExpectingExit({ PORT: String(port) });
		expect(r.code, r.output).toBe(1);
		expect(r.output).toContain(`cx-command: port ${port} on 127.0.0.1 is already in use`);
		expect(r.output).not.toMatch(/password|Unhandled|at .*\.js:\d+/);
		expect(existsSync(join(dir, 'cx.duckdb'))).toBe(false);
	}, 60_000);

	it('names a HOST that is no address here', async () => {
		const r = await startExpectingExit({ HOST: 'not-a-host.invalid', PORT: '3999' });
		expect(r.code, r.output).toBe(1);
		expect(r.output).toContain('cx-command: HOST=not-a-host.invalid is not an address');
		expect(r.output).not.toMatch(/password|Unhandled|at .*\.js:\d+/);
		expect(existsSync(join(dir, 'cx.duckdb'))).toBe(false);
	}, 60_000);
});
