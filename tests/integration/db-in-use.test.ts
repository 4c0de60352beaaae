// A second process opening a database that another holds gets a readable message, not a stack trace.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let dir: string;
let holder: ChildProcess;
const root = join(import.meta.dirname, '..', '..');

beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'cx-lock-'));
	const path = join(dir, 'cx.duckdb');
	holder = spawn(
		process.execPath,
		['-e', `require('@duckdb/node-api').DuckDBInstance.create(${JSON.stringify(path)}).then((db) => { globalThis.held = db; setInterval(() => {}, 1000); console.log('ready'); })`],
		{ cwd: root, stdio: ['ignore', 'pipe', 'inherit'] }
	);
	await new Promise<void>((resolve, reject) => {
		holder.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
		holder.on('exit', () => reject(new Error('holder exited')));
	});
});

afterAll(() => {
	holder.kill('SIGKILL');
	rmSync(dir, { recursive: true, force: true });
});

describe('database in use', () => {
	it('the CLI names the file and the holding pid and exits 1', () => {
		const path = join(dir, 'cx.duckdb');
		const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', 'migrate', '--db', path], {
			cwd: root,
			encoding: 'utf8'
		});
		expect(r.status).toBe(1);
		expect(r.stderr).toContain(
			`the database ${path} is in use by another cx-command process (pid ${holder.pid}); stop it or use the HTTP API`
		);
		expect(r.stderr).not.toMatch(/\n\s+at /);
	});
});

describe('cx recompute-debt with the database in use', () => {
	it('says what recomputes instead: a save of the tolerance settings in the server', () => {
		const path = join(dir, 'cx.duckdb');
		const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', 'recompute-debt', '--db', path], {
			cwd: root,
			encoding: 'utf8'
		});
		expect(r.status).toBe(1);
		expect(r.stderr).toContain(
			`the database ${path} is in use by another cx-command process (pid ${holder.pid}); stop it, or save the tolerance settings again (Settings or PUT /api/v1/alerts/tolerance), which recomputes in the server`
		);
	});
});
