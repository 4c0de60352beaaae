// `cx backtest --scores-out/--report-out` and `cx model-card --out` replace an existing file (outside tools
// re-run them with the same paths), but never leave it half-written: a run that fails while writing (here
// a real file-size limit, `ulimit -f`, which fails the write part way as a full disk would) keeps the
// previous file whole and leaves no temp file behind.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli';
import { ROOT } from '../helpers/server';
import { tempDirForFile } from '../helpers/temp-db';

const dir = tempDirForFile('cx-report-overwrite-');
const REPORT = join(ROOT, 'models', 'churn', 'reports', 'online-retail-2011-09-09.json');

/** node with tsx, as cx runs, under a file-size limit of 64 KB (`ulimit -f` counts 512-byte blocks in sh). */
function underSizeLimit(args: string[]) {
	return spawnSync('sh', ['-c', 'ulimit -f 128 && exec "$@"', 'sh', process.execPath, '--import', 'tsx', ...args], {
		cwd: ROOT,
		encoding: 'utf8'
	});
}

function folderWith(name: string, files: Record<string, string>): string {
	const d = join(dir, name);
	mkdirSync(d, { recursive: true });
	for (const [f, content] of Object.entries(files)) writeFileSync(join(d, f), content);
	return d;
}

// A child process loads the whole CLI through tsx: minutes on a busy 2-core machine.
describe('report files', { timeout: 600_000 }, () => {
	it('backtest: a scores file or report cut off while written leaves both previous files whole', () => {
		const d = folderWith('backtest', { 'scores.csv': 'customer_id,score\nold,0.500000\n', 'report.json': '{"auc": 0.5}\n' });
		// 1.3 MB of scores: more than the limit allows. The report alone fits, but is not renamed over the old one
		// without its scores, so the pair stays the earlier run's.
		const script = `
			const { writeBacktestOutputs } = await import('./src/lib/server/churn/csv.ts');
			const rows = Array.from({ length: 50_000 }, (_, i) => ({ customer_id: 'customer-' + i, score: 0.25 }));
			writeBacktestOutputs({ scoresFile: ${JSON.stringify(join(d, 'scores.csv'))}, scores: rows, reportFile: ${JSON.stringify(join(d, 'report.json'))}, report: { auc: 0.9 } });
		`;
		const r = underSizeLimit(['--input-type=module', '-e', script]);
		expect(r.status).not.toBe(0);
		expect(r.stderr).toContain('EFBIG');
		expect(readFileSync(join(d, 'scores.csv'), 'utf8')).toBe('customer_id,score\nold,0.500000\n');
		expect(readFileSync(join(d, 'report.json'), 'utf8')).toBe('{"auc": 0.5}\n');
		expect(readdirSync(d).sort()).toEqual(['report.json', 'scores.csv']);
	});

	it('model-card: a re-run replaces the card; one cut off while written keeps the previous card', async () => {
		const d = folderWith('card', { 'card.md': '# the previous card\n' });
		const card = join(d, 'card.md');
		const ok = await runCli(['model-card', '--report', REPORT, '--out', card]);
		expect(ok.code, ok.err.join('\n')).toBe(0);
		const written = readFileSync(card, 'utf8');
		expect(written).toMatch(/^# /);
		expect(written).not.toContain('the previous card');
		// The card quotes --command: 100 KB of it makes the card larger than the limit.
		const long = `npm run cx -- backtest ${'x'.repeat(100_000)}`;
		const cut = underSizeLimit(['src/cli/index.ts', 'model-card', '--report', REPORT, '--out', card, '--command', long]);
		expect(cut.status).toBe(1);
		expect(cut.stderr.trim()).toBe(`cx model-card: file too large (${card})`);
		expect(readFileSync(card, 'utf8')).toBe(written);
		expect(readdirSync(d)).toEqual(['card.md']);
	});
});
