// Ctrl-C on `npm run cx -- demo --live` as a terminal delivers it: to the whole process group, so the
// command gets the terminal's SIGINT and the copy npm forwards. One press is the normal end (0).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/server';

let dir: string;
beforeAll(() => void (dir = mkdtempSync(join(tmpdir(), 'cx-demo-ctrl-c-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('cx demo --live and Ctrl-C', () => {
	it('stops the stream and exits 0 when one press arrives twice (terminal and npm)', async () => {
		// What `npm run cx` runs, in a process group of its own.
		const args = ['--import', 'tsx', 'src/cli/index.ts', 'demo', '--customers', '60', '--days', '5', '--live', '--rate', '20', '--db', join(dir, 'cx.duckdb')];
		const child = spawn(process.execPath, args, { cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
		let stdout = '';
		let stderr = '';
		child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
		const code = await new Promise<number | null>((resolve) => {
			child.stdout.on('data', (d: Buffer) => {
				stdout += d.toString();
				if (/press Ctrl-C to stop/.test(stdout) && !child.killed) {
					// The terminal's SIGINT, and a moment later the copy npm forwards to its script.
					process.kill(-child.pid!, 'SIGINT');
					setTimeout(() => process.kill(-child.pid!, 'SIGINT'), 20);
				}
			});
			child.on('exit', (c) => resolve(c));
		});
		expect(code, stdout + stderr).toBe(0);
		expect(stdout).toMatch(/SIGINT: stopping the live stream/);
		expect(stdout).toMatch(/live: stopped after \d+ events/);
	}, 120_000);
});
