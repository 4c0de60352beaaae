// `npm run bench`: runs every benchmark one after another (they would distort each other if run
// together), echoes their output, and prints one JSON line collecting each benchmark's last line.
// Extra arguments after `--` pick benchmarks by name, e.g. `npm run bench -- tiles alerts`.
import { spawn } from 'node:child_process';
import { join } from 'node:path';

const ALL = ['ingest', 'import', 'tiles', 'live', 'alerts', 'score', 'train', 'backtest', 'soak', 'wall-browser'];
const root = join(import.meta.dirname, '..');

function runOne(name: string): Promise<{ name: string; code: number | null; result: unknown }> {
	return new Promise((resolve) => {
		let last = '';
		const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'bench', `${name}.ts`)], {
			cwd: root,
			stdio: ['ignore', 'pipe', 'inherit']
		});
		child.stdout.on('data', (d: Buffer) => {
			process.stdout.write(d);
			const lines = d.toString().trim().split('\n');
			last = lines[lines.length - 1] || last;
		});
		child.on('exit', (code) => {
			let result: unknown = null;
			try {
				result = JSON.parse(last);
			} catch {
				result = { error: `no JSON on the last line (exit ${code})` };
			}
			resolve({ name, code, result });
		});
	});
}

const picked = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const unknown = picked.filter((p) => !ALL.includes(p));
if (unknown.length) {
	console.error(`unknown benchmark(s): ${unknown.join(', ')}; known: ${ALL.join(', ')}`);
	process.exit(2);
}
const results: Record<string, unknown> = {};
let failed = 0;
for (const name of picked.length ? picked : ALL) {
	console.log(`\n== bench:${name}`);
	const r = await runOne(name);
	results[name] = r.result;
	if (r.code !== 0) failed++;
}
console.log(JSON.stringify({ bench: 'all', failed, results }));
process.exit(failed ? 1 : 0);
