// Paths on the command line: resolved against the folder the user ran cx from, and checked before any
// long work, so that a typo costs neither a training run nor a half-written set of outputs.
import { closeSync, existsSync, mkdirSync, openSync, statSync, unlinkSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { config } from '../lib/server/config';
import { databaseFileState } from '../lib/server/db/database-file';
import { CliError } from './command';

export function resolveUserPath(p: string): string {
	return resolve(config().callerCwd, p);
}

/** The nearest part of path that exists (the path itself, or the folder that would hold it). */
function nearestExisting(path: string): string {
	let p = path;
	while (!existsSync(p) && dirname(p) !== p) p = dirname(p);
	return p;
}

/** Refuses a path a file cannot be written to, or whose missing folders cannot be created. */
function checkWritable(path: string, what: string): void {
	const at = nearestExisting(path);
	if (at === path) {
		if (statSync(path).isDirectory()) throw new CliError(`${what} is a folder, not a file (${path})`);
	} else if (!statSync(at).isDirectory()) {
		throw new CliError(`${what} cannot be created: ${at} is a file, not a folder (${path})`);
	}
	// A real write, not access(W_OK): root passes that check everywhere, /proc and read-only mounts included.
	const probe = at === path ? path : join(at, `.cx-write-check-${process.pid}`);
	try {
		closeSync(openSync(probe, at === path ? 'a' : 'wx'));
		if (probe !== path) unlinkSync(probe);
	} catch (e) {
		const code = (e as NodeJS.ErrnoException).code ?? 'error';
		throw new CliError(`${what} cannot be written: ${code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code} on ${at} (${path})`);
	}
}

/**
 * Checks every output file first and only then creates their folders, so nothing is written when any
 * of them is unusable. `outputs` maps the flag as typed (`--out`) to the resolved path.
 */
export function prepareOutputs(outputs: Record<string, string>): void {
	for (const [flag, path] of Object.entries(outputs)) checkWritable(path, flag);
	for (const path of Object.values(outputs)) mkdirSync(dirname(path), { recursive: true });
}

/**
 * Checks the database path before anything opens it: DuckDB would create a new empty database at a
 * mistyped path, or open a file that is no database as an empty one and silently keep nothing.
 */
export function checkDatabasePath(path: string, use: 'existing' | 'create', label: string): void {
	const state = databaseFileState(path);
	if (state === 'duckdb') return;
	if (state === 'folder')
		throw new CliError(`${label} ${path} is not a DuckDB database file (it is a folder)`);
	if (state === 'other') throw new CliError(`${label} ${path} is not a DuckDB database file`);
	const migrate = label === '--db' ? `npm run cx -- migrate --db ${path}` : 'npm run cx -- migrate';
	if (use === 'existing')
		throw new CliError(`no database at ${path} (\`npm start\` or \`${migrate}\` creates one)`);
	checkWritable(path, label);
}
