// Ctrl-C during `cx import`: the process says how far the import got, and running it again imports
// the rest (the chunks committed before count as duplicates).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/server';

const ROWS = 60_000;
let dir: string;
beforeAll(() => {
	dir = mkdtempSync(join(tmpdir(), 'cx-import-int-'));
	const lines = ['event_id,customer_id,occurred_at,type'];
	for (let i = 0; i < ROWS; i++) lines.push(`e${i},c${i % 500},2026-01-01T00:00:${String(i % 60).padStart(2, '0')}Z,visit`);
	writeFileSync(join(dir, 'events.csv'), lines.join('\n') + '\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const args = () => ['--import', 'tsx', 'src/cli/index.ts', 'import', join(dir, 'events.csv'), '--chunk-rows', '2000', '--db', join(dir, 'cx.duckdb')];

describe('cx import interrupted', () => {
	it('says what was committed, exits 130, and a re-run imports the rest', async () => {
		const child = spawn(process.execPath, args(), { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
		let stderr = '';
		const code = await new Promise<number | null>((resolve) => {
			child.stderr.on('data', (d: Buffer) => {
				stderr += d.toString();
				// After the second committed chunk: interrupt.
				if (/import: [1-9]\d*\/60000 rows/.test(stderr) && !child.killed) child.kill('SIGINT');
			});
			child.on('exit', (c) => resolve(c));
		});
		expect(code).toBe(130);
		const m = /interrupted; ([\d,]+) of 60,000 rows were committed before \(([\d,]+) accepted\) and stay/.exec(stderr);
		expect(m, stderr).not.toBeNull();
		const committed = Number(m![2].replace(/,/g, ''));
		expect(committed).toBeGreaterThan(0);
		expect(committed).toBeLessThan(ROWS);
		const again = spawnSync(process.execPath, args(), { cwd: ROOT, encoding: 'utf8' });
		expect(again.status, again.stderr).toBe(0);
		const accepted = Number(/accepted: +(\d+)/.exec(again.stdout)![1]);
		const duplicates = Number(/duplicates: +(\d+)/.exec(again.stdout)![1]);
		expect(duplicates).toBeGreaterThanOrEqual(committed);
		expect(accepted + duplicates).toBe(ROWS);
	}, 120_000);
});
