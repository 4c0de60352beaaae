// Starts the built app (node build/index.js) as a real process on a free port with its own database.
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

export async function startServer(opts: StartOptions = {}): Promise<TestServer> {
	const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'cx-srv-'));
	const dbPath = join(dir, 'cx.duckdb');
	const port = opts.port ?? (await freePort());
	const url = `http://127.0.0.1:${port}`;
	let out = '';
	const env: Record<string, string | undefined> = {
		...process.env,
		PORT: String(port),
		HOST: '127.0.0.1',
		ORIGIN: url,
		CX_DB: dbPath,
		CX_DEMO: 'off',
		CX_LOG_LEVEL: 'warn',
		BODY_SIZE_LIMIT: 'Infinity',
		...opts.env
	};
	for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
	const proc = spawn(process.execPath, [join(ROOT, 'build', 'index.js')], {
		cwd: ROOT,
		env,
		stdio: ['ignore', 'pipe', 'pipe']
	});
	proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
	proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
	const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));

	const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
	for (;;) {
		if (proc.exitCode !== null) throw new Error(`server exited with ${proc.exitCode}:\n${out}`);
		try {
			const r = await fetch(`${url}/api/v1/health`);
			if (r.ok) break;
		} catch {
			/* not listening yet */
		}
		if (Date.now() > deadline) {
			proc.kill('SIGKILL');
			throw new Error(`server did not become healthy:\n${out}`);
		}
		await new Promise((r) => setTimeout(r, 150));
	}

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
			await exited;
		},
		stop: async ({ keepDir = false } = {}) => {
			if (proc.exitCode === null) {
				proc.kill('SIGTERM');
				const t = setTimeout(() => proc.kill('SIGKILL'), 5000);
				await exited;
				clearTimeout(t);
			}
			if (!keepDir && !opts.dir) rmSync(dir, { recursive: true, force: true });
		}
	};
}
