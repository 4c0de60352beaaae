// Builds the SvelteKit app when build/ is missing or older than any source file.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;

/** @param {string} p @returns {number} */
function newest(p) {
	if (!existsSync(p)) return 0;
	const s = statSync(p);
	if (!s.isDirectory()) return s.mtimeMs;
	let max = 0;
	for (const name of readdirSync(p)) {
		if (name.endsWith('.test.ts')) continue;
		max = Math.max(max, newest(join(p, name)));
	}
	return max;
}

export function buildIfNeeded() {
	const out = join(root, 'build', 'index.js');
	const sources = ['src', 'static', 'svelte.config.js', 'vite.config.ts', 'package-lock.json'].map((f) =>
		newest(join(root, f))
	);
	if (existsSync(out) && statSync(out).mtimeMs >= Math.max(...sources)) return;
	console.log('cx-command: building the app (first start or sources changed) ...');
	const r = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
	if (r.status !== 0) {
		console.error('cx-command: build failed');
		process.exit(r.status ?? 1);
	}
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop() ?? '')) buildIfNeeded();
