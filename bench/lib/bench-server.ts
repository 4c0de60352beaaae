// The built server (node build/index.js) on a temp database with an ingest key and a display token,
// set up for the live benchmarks: fast ticker, quiet log. With `privateBuild`, build/ is first copied
// (under the team's build lock) to node_modules/.cache, so a `vite build` by someone else during a long
// run cannot swap the server's lazily loaded chunks under it; node_modules still resolves from there.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getDb, shutdownDb } from '../../src/lib/server/db';
import { createApiKey } from '../../src/lib/server/auth/api-keys';
import { createDisplayToken } from '../../src/lib/server/auth/display-tokens';
import {
	freePort,
	ROOT,
	spawnBuiltServer,
	stopGracefully,
	waitHealthy,
	type SpawnedServer
} from '../../tests/helpers/server';

export interface BenchServer {
	url: string;
	pid: number;
	ingestKey: string;
	displayToken: string;
	output: () => string;
	stop: () => Promise<void>;
	/** Stops the server, waits `downMs` and starts it again on the same port and database (an outage). */
	restart: (downMs: number) => Promise<void>;
}

export interface BenchServerOptions {
	env?: Record<string, string>;
	privateBuild?: boolean;
}

export async function startBenchServer(opts: BenchServerOptions = {}): Promise<BenchServer> {
	const dir = mkdtempSync(join(tmpdir(), 'cx-bench-'));
	const dbPath = join(dir, 'cx.duckdb');
	let buildDir = join(ROOT, 'build');
	let privateDir: string | null = null;
	const cleanup = () => {
		rmSync(dir, { recursive: true, force: true });
		if (privateDir) rmSync(privateDir, { recursive: true, force: true });
	};
	try {
		if (opts.privateBuild) {
			mkdirSync(join(ROOT, 'node_modules', '.cache'), { recursive: true });
			privateDir = join(ROOT, 'node_modules', '.cache', `cx-bench-build-${process.pid}`);
			const cp = spawnSync('flock', ['/tmp/cx-build.lock', 'cp', '-r', buildDir, privateDir], { encoding: 'utf8' });
			if (cp.status !== 0) throw new Error(`could not copy build/: ${cp.stderr}`);
			buildDir = privateDir;
		}
		const db = await getDb(dbPath);
		let ingestKey: string, displayToken: string;
		try {
			const a = await createApiKey(db, { scope: 'ingest', createdBy: 'bench' });
			const d = await createDisplayToken(db, { board: 'main', createdBy: 'bench' });
			if (!a.ok || !d.ok) throw new Error('could not create bench credentials');
			ingestKey = a.value.token;
			displayToken = d.value.token;
		} finally {
			await shutdownDb(dbPath);
		}

		const port = await freePort();
		let out = '';
		// BENCH_SERVER_NODE_ARGS: extra node flags for the server only, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"
		// (node refuses --cpu-prof in NODE_OPTIONS).
		const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
		let server: SpawnedServer;
		const spawnServer = () => {
			server = spawnBuiltServer(
				{ port, dbPath, buildDir, nodeArgs, env: { CX_TICK_MS: '250', CX_LOG_LEVEL: 'error', ...opts.env } },
				(text) => (out += text)
			);
		};
		const stop = async () => {
			await stopGracefully(server);
			cleanup();
		};
		const healthy = () => waitHealthy(server, () => out, 60_000, stop);
		spawnServer();
		await healthy();
		const restart = async (downMs: number) => {
			await stopGracefully(server);
			await new Promise((r) => setTimeout(r, downMs));
			spawnServer();
			await healthy();
		};
		return {
			url: server!.url,
			get pid() {
				return server.proc.pid!;
			},
			ingestKey,
			displayToken,
			output: () => out,
			stop,
			restart
		};
	} catch (e) {
		cleanup();
		throw e;
	}
}
