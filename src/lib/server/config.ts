// The only module that reads process.env. Everything else receives a typed Config.
import { mkdirSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Config {
	/** Path of the DuckDB file (CX_DB). */
	dbPath: string;
	/** DuckDB's memory_limit (CX_DB_MEMORY_LIMIT), e.g. "1GB"; null = DuckDB's default (80 % of RAM). */
	dbMemoryLimit: string | null;
	host: string;
	port: number;
	/** adapter-node's SOCKET_PATH: when set the server listens there instead of HOST:PORT. */
	socketPath: string | null;
	logLevel: LogLevel;
	/** Seed a demo world on an empty database and stream live demo events (CX_DEMO). */
	demo: boolean;
	demoCustomers: number;
	demoDays: number;
	/** Live demo events per second. */
	demoRate: number;
	demoSeed: number;
	/** Ticker period in milliseconds: tiles and alert rules are recomputed once per tick. */
	tickMs: number;
	/** Largest accepted request body for POST /api/v1/events, in bytes. */
	maxBodyBytes: number;
	sessionDays: number;
	/** Failed logins allowed per user+address within loginWindowSeconds before 429. */
	loginMaxAttempts: number;
	loginWindowSeconds: number;
	/** Folder of the model registry (manifest.json + vNNNN/). */
	modelsDir: string;
	/** Project root: where models/, data/ and src/ live. */
	root: string;
	/** Churn-rate tile: a customer with no activity for this many days counts as lost (CX_CHURN_INACTIVITY_DAYS). */
	churnInactivityDays: number;
	/** Webhooks may post to loopback, private and link-local addresses (CX_WEBHOOK_ALLOW_PRIVATE). */
	webhookAllowPrivate: boolean;
	/**
	 * adapter-node knows the public origin: ORIGIN or PROTOCOL_HEADER (its variables) is set. Without either it
	 * assumes https while serving plain HTTP (auth/served-origin.ts).
	 */
	adapterKnowsOrigin: boolean;
	/**
	 * The folder the user ran the command from, for the CLI's relative paths: `npm run` moves into the
	 * project folder and records the original one in INIT_CWD; without npm, the working folder.
	 */
	callerCwd: string;
}

export interface ConfigVar {
	name: string;
	default: string;
	description: string;
}

/** Every variable config.ts reads, for README and --help (except INIT_CWD, which npm sets, not the user). */
export const CONFIG_VARS: ConfigVar[] = [
	{ name: 'CX_DB', default: 'data/cx.duckdb', description: 'DuckDB database file (folder is created if missing)' },
	{ name: 'CX_DB_MEMORY_LIMIT', default: 'unset', description: "DuckDB memory limit such as 1GB or 512MB (buffer cache and indexes; queries spill to disk beyond it); unset: DuckDB's default, 80 % of RAM (cx import: 1GB unless this or --memory-limit sets one); set it on a server meant to run for weeks, as DuckDB's cache grows with the database up to it" },
	{ name: 'HOST', default: '0.0.0.0', description: 'address the server listens on' },
	{ name: 'PORT', default: '3000', description: 'HTTP port' },
	{ name: 'CX_LOG_LEVEL', default: 'info', description: 'debug, info, warn or error' },
	{ name: 'CX_DEMO', default: 'on', description: 'on: seed a demo world into an empty database and stream live events (never on a database with imported data); off: no demo data' },
	{ name: 'CX_DEMO_CUSTOMERS', default: '5000', description: 'customers in the seeded demo world' },
	{ name: 'CX_DEMO_DAYS', default: '180', description: 'days of demo history seeded on first start' },
	{ name: 'CX_DEMO_RATE', default: '20', description: 'live demo events per second' },
	{ name: 'CX_DEMO_SEED', default: '42', description: 'random seed of the demo world' },
	{ name: 'CX_TICK_MS', default: '1000', description: 'ticker period (tiles and alert rules), milliseconds' },
	{ name: 'CX_MAX_BODY_BYTES', default: '16777216', description: 'largest POST /api/v1/events body (bytes); larger gets 413' },
	{ name: 'CX_SESSION_DAYS', default: '30', description: 'session lifetime in days (sliding)' },
	{ name: 'CX_LOGIN_MAX_ATTEMPTS', default: '5', description: 'failed logins per user and address before 429' },
	{ name: 'CX_LOGIN_WINDOW_SECONDS', default: '900', description: 'window of the login rate limit, seconds' },
	{ name: 'CX_MODELS_DIR', default: 'models/churn', description: 'churn model registry folder' },
	{ name: 'CX_CHURN_INACTIVITY_DAYS', default: '30', description: 'churn-rate tile: days without activity after which a customer counts as lost' },
	{ name: 'CX_WEBHOOK_ALLOW_PRIVATE', default: 'off', description: 'on: alert webhooks may post to loopback, private and link-local addresses (an internal chat server); off: refused, so whoever edits webhooks cannot make the server probe internal services' }
];

export type ConfigResult = { ok: true; value: Config } | { ok: false; errors: string[] };

type Env = Record<string, string | undefined>;

function intVar(env: Env, name: string, def: number, min: number, max: number, errors: string[]): number {
	const raw = env[name];
	if (raw === undefined || raw === '') return def;
	const n = Number(raw);
	if (!Number.isInteger(n) || n < min || n > max) {
		errors.push(`${name}=${JSON.stringify(raw)} is not a whole number from ${min} to ${max}`);
		return def;
	}
	return n;
}

function onOff(env: Env, name: string, def: boolean, errors: string[]): boolean {
	const raw = env[name]?.toLowerCase();
	if (raw === undefined || raw === '') return def;
	if (['on', 'true', '1', 'yes'].includes(raw)) return true;
	if (['off', 'false', '0', 'no'].includes(raw)) return false;
	errors.push(`${name}=${JSON.stringify(env[name])} must be on or off`);
	return def;
}

const SIZE_UNIT_BYTES: Record<string, number> = { kb: 1e3, mb: 1e6, gb: 1e9, tb: 1e12, kib: 2 ** 10, mib: 2 ** 20, gib: 2 ** 30, tib: 2 ** 40 };
const SIZE = /^(\d+(?:\.\d+)?)\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i;

/** A DuckDB memory size ("512MB", "2 GB", "1.5GiB") in the form DuckDB's SET accepts, or null when it is not one. */
export function parseMemorySize(raw: string): string | null {
	const m = SIZE.exec(raw.trim());
	return m && Number(m[1]) > 0 ? `${m[1]}${m[2]}` : null;
}

/** Bytes of a size parseMemorySize accepts (decimal units as DuckDB reads them: 1MB = 10^6, 1MiB = 2^20). */
export function memorySizeBytes(size: string): number {
	const m = SIZE.exec(size.trim());
	if (!m) throw new Error(`not a memory size: ${size}`);
	return Number(m[1]) * SIZE_UNIT_BYTES[m[2].toLowerCase()];
}

function memoryLimit(env: Env, name: string, errors: string[]): string | null {
	const raw = env[name]?.trim();
	if (!raw) return null;
	const size = parseMemorySize(raw);
	if (!size) errors.push(`${name}=${JSON.stringify(raw)} must be a size such as 512MB or 2GB`);
	return size;
}

/** Parses configuration from an environment; pure apart from resolving paths against root. */
export function parseConfig(env: Env, root: string = process.cwd()): ConfigResult {
	const errors: string[] = [];
	const levels: LogLevel[] = ['debug', 'info', 'warn', 'error'];
	// Empty counts as unset, as for every other variable (a systemd or .env line left empty).
	const level = (env.CX_LOG_LEVEL || 'info').toLowerCase();
	if (!levels.includes(level as LogLevel)) errors.push(`CX_LOG_LEVEL=${JSON.stringify(env.CX_LOG_LEVEL)} must be one of ${levels.join(', ')}`);
	const abs = (p: string) => (isAbsolute(p) ? p : resolve(root, p));
	const value: Config = {
		dbPath: abs(env.CX_DB || 'data/cx.duckdb'),
		dbMemoryLimit: memoryLimit(env, 'CX_DB_MEMORY_LIMIT', errors),
		host: env.HOST || '0.0.0.0',
		port: intVar(env, 'PORT', 3000, 1, 65535, errors),
		socketPath: env.SOCKET_PATH || null,
		logLevel: levels.includes(level as LogLevel) ? (level as LogLevel) : 'info',
		demo: onOff(env, 'CX_DEMO', true, errors),
		demoCustomers: intVar(env, 'CX_DEMO_CUSTOMERS', 5000, 1, 10_000_000, errors),
		demoDays: intVar(env, 'CX_DEMO_DAYS', 180, 1, 3650, errors),
		demoRate: intVar(env, 'CX_DEMO_RATE', 20, 0, 1_000_000, errors),
		demoSeed: intVar(env, 'CX_DEMO_SEED', 42, 0, 2 ** 31 - 1, errors),
		tickMs: intVar(env, 'CX_TICK_MS', 1000, 50, 3_600_000, errors),
		maxBodyBytes: intVar(env, 'CX_MAX_BODY_BYTES', 16 * 1024 * 1024, 1024, 2 ** 31 - 1, errors),
		sessionDays: intVar(env, 'CX_SESSION_DAYS', 30, 1, 3650, errors),
		loginMaxAttempts: intVar(env, 'CX_LOGIN_MAX_ATTEMPTS', 5, 1, 1000, errors),
		loginWindowSeconds: intVar(env, 'CX_LOGIN_WINDOW_SECONDS', 900, 1, 86_400, errors),
		modelsDir: abs(env.CX_MODELS_DIR || 'models/churn'),
		root,
		churnInactivityDays: intVar(env, 'CX_CHURN_INACTIVITY_DAYS', 30, 1, 3650, errors),
		webhookAllowPrivate: onOff(env, 'CX_WEBHOOK_ALLOW_PRIVATE', false, errors),
		adapterKnowsOrigin: Boolean(env.ORIGIN?.trim() || env.PROTOCOL_HEADER?.trim()),
		callerCwd: env.INIT_CWD ? abs(env.INIT_CWD) : root
	};
	return errors.length ? { ok: false, errors } : { ok: true, value };
}

let cached: Config | undefined;

/** The process configuration; exits with readable messages when a variable is invalid. */
export function config(): Config {
	if (cached) return cached;
	const result = parseConfig(process.env);
	if (!result.ok) {
		console.error('cx-command: invalid configuration:\n  ' + result.errors.join('\n  '));
		process.exit(2);
	}
	cached = result.value;
	return cached;
}

/** Lets the CLI apply --db before anything opens the database. */
export function overrideConfig(patch: Partial<Config>): Config {
	cached = { ...config(), ...patch };
	return cached;
}

/** DuckDB does not create missing folders. */
export function ensureParentDir(file: string): void {
	mkdirSync(dirname(file), { recursive: true });
}
