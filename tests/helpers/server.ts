// Starts the built app (node build/index.js) as a real process on a free port with its own database.
// The spawn, health wait and graceful stop are exported for the live benchmarks (bench/lib/bench-server.ts),
// so both start the server the same way.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..', '..');

export interface TestServer {
	url: string;
	port: number;
	dbPath: string;
	dir: string;
	proc: ChildProcess;
	/** Everything the process printed so far. */
	output: () => string;
	/** The admin password printed on first start, if one was printed. */
	adminPassword: () => string | undefined;
	/** SIGKILL, no cleanup: for durability tests. */
	kill: () => Promise<void>;
	/** Graceful stop and removal of the temp folder (unless keepDir). */
	stop: (opts?: { keepDir?: boolean }) => Promise<void>;
}

export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const s = createServer();
		s.once('error', reject);
		s.listen(0, '127.0.0.1', () => {
			const addr = s.address();
			const port = typeof addr === 'object' && addr ? addr.port : 0;
			s.close(() => resolve(port));
		});
	});
}

export interface StartOptions {
	/** Added to the server's environment; undefined removes a variable (e.g. ORIGIN, to start as `npm start` does). */
	env?: Record<string, string | undefined>;
	/** Reuse a database folder (restart after kill). */
	dir?: string;
	timeoutMs?: number;
	/** Listen on this port (restart on the same address) instead of a free one. */
	port?: number;
}

export interface SpawnOptions {
	port: number;
	dbPath: string;
	/** Added last to the server's environment; undefined removes a variable. */
	env?: Record<string, string | undefined>;
	/** The built server's folder; build/ by default. */
	buildDir?: string;
	/** Node flags for the server process only (node refuses some, e.g. --cpu-prof, in NODE_OPTIONS). */
	nodeArgs?: string[];
}

export interface SpawnedServer {
	url: string;
	proc: ChildProcess;
	/** Resolves when the process has exited. */
	exited: Promise<void>;
}

/** Spawns the built server on 127.0.0.1:port with demo data off; everything it prints goes to `onOutput`. */
export function spawnBuiltServer(o: SpawnOptions, onOutput: (text: string) => void): SpawnedServer {
	const url = `http://127.0.0.1:${o.port}`;
	const env: Record<string, string | undefined> = {
		...process.env,
		PORT: String(o.port),
		HOST: '127.0.0.1',
		ORIGIN: url,
		CX_DB: o.dbPath,
		CX_DEMO: 'off',
		CX_LOG_LEVEL: 'warn',
		BODY_SIZE_LIMIT: 'Infinity',
		...o.env
	};
	for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
	const entry = join(o.buildDir ?? join(ROOT, 'build'), 'index.js');
	const proc = spawn(process.execPath, [...(o.nodeArgs ?? []), entry], {
		cwd: ROOT,
		env,
		stdio: ['ignore', 'pipe', 'pipe']
	});
	proc.stdout!.on('data', (d: Buffer) => onOutput(d.toString()));
	proc.stderr!.on('data', (d: Buffer) => onOutput(d.toString()));
	const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
	return { url, proc, exited };
}

/**
 * Polls /api/v1/health until it answers OK. Throws with the server's output when the process exits first,
 * or when `timeoutMs` passes (after awaiting `onTimeout`, which is to stop the process).
 */
export async function waitHealthy(
	server: SpawnedServer,
	output: () => string,
	timeoutMs: number,
	onTimeout: () => unknown
): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const code = server.proc.exitCode;
		if (code !== null) throw new Error(`server exited with ${code}:\n${output()}`);
		try {
			const r = await fetch(`${server.url}/api/v1/health`);
			if (r.ok) return;
		} catch {
			/* not listening yet */
		}
		if (Date.now() > deadline) {
			await onTimeout();
			throw new Error(`server did not become healthy:\n${output()}`);
		}
		await new Promise((r) => setTimeout(r, 150));
	}
}

/** SIGTERM, then SIGKILL if the process is still there after 5 s; resolves once it has exited. */
export async function stopGracefully(server: SpawnedServer): Promise<void> {
	const { proc } = server;
	if (proc.exitCode === null && proc.signalCode === null) {
		proc.kill('SIGTERM');
		const t = setTimeout(() => proc.kill('SIGKILL'), 5000);
		await server.exited;
		clearTimeout(t);
	}
}

export async function startServer(opts: StartOptions = {}): Promise<TestServer> {
	const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'cx-srv-'));
	const dbPath = join(dir, 'cx.duckdb');
	const port = opts.port ?? (await freePort());
	let out = '';
	const server = spawnBuiltServer({ port, dbPath, env: opts.env }, (text) => (out += text));
	const { url, proc } = server;
	const timeoutMs = opts.timeoutMs ?? 60_000;
	await waitHealthy(
		server,
		() => out,
		timeoutMs,
		() => proc.kill('SIGKILL')
	);

	return {
		url,
		port,
		dbPath,
		dir,
		proc,
		output: () => out,
		adminPassword: () => /password: (\S+)\s*$/m.exec(out)?.[1],
		kill: async () => {
			proc.kill('SIGKILL');
			await server.exited;
		},
		stop: async ({ keepDir = false } = {}) => {
			await stopGracefully(server);
			if (!keepDir && !opts.dir) rmSync(dir, { recursive: true, force: true });
		}
	};
}
