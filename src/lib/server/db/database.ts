// One shared DuckDB instance per database file for the whole process.
import { DOUBLE, DuckDBInstance, type DuckDBConnection, type DuckDBType, type DuckDBValue } from '@duckdb/node-api';
import { config, ensureParentDir } from '../config';
import { decodeRows } from './decode';
import { Mutex } from './mutex';

export type Params = DuckDBValue[] | Record<string, DuckDBValue>;
type ParamTypes = DuckDBType[] | Record<string, DuckDBType | undefined>;

const bindsAsDouble = (v: DuckDBValue, given: DuckDBType | undefined) => typeof v === 'number' && !Number.isSafeInteger(v) && !given;

/**
 * The types to bind `values` with. The client binds a whole JS number as INTEGER or BIGINT, so one beyond
 * int64 (1e19) failed with 'bigint out of int64 range'; a number that is not a safe integer is a double in
 * JS and binds as DOUBLE. Safe integers (ids, counts) keep the client's binding; a type the caller gave wins.
 */
export function bindTypes(values: Params, types?: ParamTypes): ParamTypes | undefined {
	if (Array.isArray(values)) {
		const given = Array.isArray(types) ? types : [];
		if (!values.some((v, i) => bindsAsDouble(v, given[i]))) return types;
		return values.map((v, i) => (bindsAsDouble(v, given[i]) ? DOUBLE : given[i]));
	}
	const given = types && !Array.isArray(types) ? types : {};
	const keys = Object.keys(values).filter((k) => bindsAsDouble(values[k], given[k]));
	if (keys.length === 0) return types;
	return { ...given, ...Object.fromEntries(keys.map((k) => [k, DOUBLE])) };
}

/** Where each of DuckDBConnection's statement methods takes its values (the types come next). */
const VALUES_AT = new Map<PropertyKey, number>([
	...['run', 'runAndRead', 'runAndReadAll', 'stream', 'streamAndRead', 'streamAndReadAll'].map((m) => [m, 1] as const),
	...['start', 'startThenRead', 'startThenReadAll', 'startStream', 'startStreamThenRead', 'startStreamThenReadAll'].map((m) => [m, 1] as const),
	...['runAndReadUntil', 'streamAndReadUntil', 'startThenReadUntil', 'startStreamThenReadUntil'].map((m) => [m, 2] as const)
]);

/** The connection whose statements bind their values with bindTypes. */
function binding(conn: DuckDBConnection): DuckDBConnection {
	return new Proxy(conn, {
		get(target, prop) {
			const value: unknown = Reflect.get(target, prop, target);
			if (typeof value !== 'function') return value;
			const at = VALUES_AT.get(prop);
			if (at === undefined) return value.bind(target);
			return (...args: unknown[]) => {
				const values = args[at] as Params | undefined;
				if (values) args[at + 1] = bindTypes(values, args[at + 1] as ParamTypes | undefined);
				return value.apply(target, args);
			};
		}
	});
}

export class DatabaseInUseError extends Error {
	constructor(
		readonly path: string,
		readonly pid: number | undefined
	) {
		super(
			`the database ${path} is in use by another cx-command process` +
				(pid ? ` (pid ${pid})` : '') +
				'; stop it or use the HTTP API'
		);
		this.name = 'DatabaseInUseError';
	}
}

export class Db {
	/** DuckDB runs write transactions optimistically; serializing our writers avoids conflict aborts. */
	private readonly writeLock = new Mutex();
	/** Serializes side writes (see sideWrite) with each other and with checkpoints. */
	private readonly sideLock = new Mutex();

	constructor(
		readonly path: string,
		readonly instance: DuckDBInstance,
		/** The memory_limit the instance was opened with (CX_DB_MEMORY_LIMIT); null = DuckDB's default. */
		readonly memoryLimit: string | null = null
	) {}

	/** Back to the memory_limit the database was opened with, after a task that set its own. */
	async restoreMemoryLimit(): Promise<void> {
		// SET takes no parameters; the value passed config's size check.
		await this.run(this.memoryLimit ? `SET GLOBAL memory_limit = '${this.memoryLimit}'` : 'RESET GLOBAL memory_limit');
	}

	/** Runs fn on a fresh connection (its statements bind values with bindTypes), closed afterwards whatever happens. */
	async connect<T>(fn: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
		const conn = await this.instance.connect();
		try {
			return await fn(binding(conn));
		} finally {
			conn.closeSync();
		}
	}

	/** Rows as objects keyed by column name; BIGINTs within the safe range become numbers. */
	async all<T>(sql: string, params?: Params): Promise<T[]> {
		return this.connect(async (conn) => {
			const reader = await conn.runAndReadAll(sql, params);
			return decodeRows(reader.getRowObjectsJS()) as T[];
		});
	}

	async one<T>(sql: string, params?: Params): Promise<T | undefined> {
		const rows = await this.all<T>(sql, params);
		return rows[0];
	}

	async run(sql: string, params?: Params): Promise<void> {
		await this.connect(async (conn) => {
			await conn.run(sql, params);
		});
	}

	/**
	 * A serialized write transaction: committed when fn resolves, rolled back when it throws.
	 * DuckDB syncs its WAL on commit, so a resolved write survives kill -9.
	 */
	async write<T>(fn: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
		return this.writeLock.run(() => this.connect((conn) => inTransaction(conn, () => fn(conn))));
	}

	/** Db.write on a connection the caller keeps (its temp tables survive between transactions). */
	async writeOn<T>(conn: DuckDBConnection, fn: () => Promise<T>): Promise<T> {
		return this.writeLock.run(() => inTransaction(conn, fn));
	}

	/**
	 * A write transaction that neither waits for nor blocks Db.write: for derived tables that no other
	 * writer touches (so it cannot conflict with them), whose upkeep can take a minute after a large
	 * import, while sign-ins, ingest and the alert loop go on. Side writes run one at a time.
	 */
	async sideWrite<T>(fn: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
		return this.sideLock.run(() => this.connect((conn) => inTransaction(conn, () => fn(conn))));
	}

	/**
	 * Writes everything committed since the last checkpoint into the database file, between our writes.
	 * Until then DuckDB holds those rows and the primary-key index entries they added in memory.
	 * DuckDB refuses a CHECKPOINT while another write transaction is open, so it waits for a running side
	 * write first, without holding the write lock meanwhile.
	 */
	async checkpoint(): Promise<void> {
		await this.sideLock.run(() => this.writeLock.run(() => this.run('CHECKPOINT')));
	}

	close(): void {
		this.instance.closeSync();
	}
}

async function inTransaction<T>(conn: DuckDBConnection, fn: () => Promise<T>): Promise<T> {
	await conn.run('BEGIN TRANSACTION');
	try {
		const result = await fn();
		await conn.run('COMMIT');
		return result;
	} catch (err) {
		await conn.run('ROLLBACK').catch(() => undefined);
		throw err;
	}
}

const open = new Map<string, Promise<Db>>();

function lockHolderPid(message: string): number | undefined {
	const m = /PID (\d+)/i.exec(message);
	return m ? Number(m[1]) : undefined;
}

async function createDb(path: string): Promise<Db> {
	ensureParentDir(path);
	try {
		const limit = config().dbMemoryLimit;
		// DuckDB's allocator keeps freed memory for reuse; for a server running for weeks it should hand
		// it back: background purging, and a flush after any task that peaked over 32 MB (default 128 MB).
		const options: Record<string, string> = { allocator_background_threads: 'true', allocator_flush_threshold: '32MB' };
		if (limit) options.memory_limit = limit;
		return new Db(path, await DuckDBInstance.create(path, options), limit);
	} catch (err) {
		const message = err instanceof Error ? err.message : String(err);
		if (/lock/i.test(message)) throw new DatabaseInUseError(path, lockHolderPid(message));
		throw err;
	}
}

/** The process-wide Db for a file; opened once, shared by every caller. */
export function openDb(path: string): Promise<Db> {
	let db = open.get(path);
	if (!db) {
		db = createDb(path);
		open.set(path, db);
		db.catch(() => open.delete(path));
	}
	return db;
}

export async function closeDb(path: string): Promise<void> {
	const db = open.get(path);
	open.delete(path);
	if (db) (await db).close();
}
