// The CLI's contract with whoever types the commands (DESIGN §9): wrong paths, extra arguments and file
// problems end in one readable line before any work starts; help names every option with its default.
// In-process through main(), against temp folders.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main, readableFailure } from '../../src/cli/run';
import { runCli } from '../helpers/cli';
import { prepareOutputs } from '../../src/cli/paths';
import { COMMANDS } from '../../src/cli/commands';
import { commandHelp } from '../../src/cli/help';
import { config, overrideConfig, type Config } from '../../src/lib/server/config';
import { IMPORT_MEMORY_LIMIT } from '../../src/lib/server/ingest/import/memory-limit';
import { BUILTIN_BOARDS } from '../../src/lib/server/metrics/boards';
import { getDb, shutdownDb } from '../../src/lib/server/db';
import { ingestEvents } from '../../src/lib/server/ingest';
import { anEvent } from '../fixtures/events';
import { aModelVersion, writeRegistry } from '../fixtures/model-registry';

vi.setConfig({ testTimeout: 60_000 });

let dir: string;
let saved: Config;
/** A database with a few events, migrated once. */
let dbPath: string;

beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'cx-cli-contract-'));
	saved = { ...config() };
	dbPath = join(dir, 'cx.duckdb');
	const db = await getDb(dbPath);
	await ingestEvents(db, [anEvent().withId('e-1').withCustomer('a').at('2026-01-01T00:00:00Z').build()], {
		source: 'test'
	});
	await shutdownDb(dbPath);
});
afterEach(() => void overrideConfig(saved));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cx = runCli;

function fresh(name: string): string {
	const d = join(dir, name);
	mkdirSync(d, { recursive: true });
	return d;
}

describe('--db', () => {
	it('refuses an empty path', async () => {
		const r = await cx(['import', join(dir, 'none.csv'), '--db', '']);
		expect(r.code).toBe(2);
		expect(r.err[0]).toBe('cx import: --db needs a path, not an empty string');
	});

	it('refuses a file that is not a DuckDB database before opening it, and leaves it alone', async () => {
		const csv = join(fresh('not-db'), 'events.csv');
		writeFileSync(csv, 'a,b\n1,2\n');
		for (const args of [['migrate'], ['users', 'list'], ['import', csv]]) {
			const r = await cx([...args, '--db', csv]);
			expect(r.code, r.err.join('\n')).toBe(1);
			expect(r.err).toEqual([`cx ${args[0]}: --db ${csv} is not a DuckDB database file`]);
		}
		expect(readFileSync(csv, 'utf8')).toBe('a,b\n1,2\n');
	});

	it('refuses a folder', async () => {
		const d = fresh('a-folder');
		const r = await cx(['migrate', '--db', d]);
		expect(r.code).toBe(1);
		expect(r.err).toEqual([`cx migrate: --db ${d} is not a DuckDB database file (it is a folder)`]);
	});

	it('says in one line why a database cannot be created under a file', async () => {
		const file = join(fresh('under-file'), 'plain.txt');
		writeFileSync(file, 'x');
		const r = await cx(['migrate', '--db', join(file, 'x.duckdb')]);
		expect(r.code).toBe(1);
		expect(r.err).toEqual([
			`cx migrate: --db cannot be created: ${file} is a file, not a folder (${join(file, 'x.duckdb')})`
		]);
	});
});

describe('commands that only read', () => {
	it('fail on a missing database instead of creating an empty one', async () => {
		const base = join(dir, 'typo');
		const missing = join(base, 'dir', 'cx.duckdb');
		const cases = [
			['users', 'list'],
			['keys', 'list'],
			['keys', 'revoke', 'abc'],
			['display-token', 'list'],
			['boards'],
			['export', '--out', join(dir, 'typo-out', 'e.parquet')],
			['score', '--all'],
			['train'],
			[
				'backtest',
				'--cutoff',
				'2026-01-01',
				'--horizon-days',
				'30',
				'--scores-out',
				join(dir, 'typo-out', 's.csv'),
				'--report-out',
				join(dir, 'typo-out', 'r.json')
			]
		];
		for (const args of cases) {
			const r = await cx([...args, '--db', missing]);
			expect(r.code, args.join(' ')).toBe(1);
			expect(r.err).toEqual([
				`cx ${args[0]}: no database at ${missing} (\`npm start\` or \`npm run cx -- migrate --db ${missing}\` creates one)`
			]);
		}
		expect(existsSync(base)).toBe(false);
		expect(existsSync(join(dir, 'typo-out'))).toBe(false);
	});

	it('while commands that write still create it', async () => {
		const p = join(dir, 'new', 'deeper', 'cx.duckdb');
		const r = await cx(['keys', 'create', '--scope', 'ingest', '--db', p]);
		expect(r.code, r.err.join('\n')).toBe(0);
		expect(existsSync(p)).toBe(true);
	});

	it('but only once every argument is accepted: a refused one leaves no database (nor its folder) behind', async () => {
		const csv = join(fresh('refused-args'), 'events.csv');
		writeFileSync(csv, 'customer_id,occurred_at,type\nc1,2026-01-01,visit\n');
		const twice = join(dir, 'refused-args', 'customers.csv');
		writeFileSync(twice, 'customer_id,name\nc1,A\nc1,B\n');
		const cases: [string[], number, string][] = [
			// The file against the flags: its header is read by a scratch database, not the new one.
			[['import', csv, '--map', 'customer_id=cid'], 1, `cx import: --map names columns the file does not have: cid (file columns: customer_id, occurred_at, type); use --map to=from to take it from the file's columns: --map customer_id=customer_id`],
			[['import', csv, '--format', 'parquet'], 1, `cx import: cannot read ${csv} as parquet: No magic bytes found at end of file '${csv}'`],
			[['import-customers', csv], 1, `cx import-customers: ${csv} has columns that are not customer fields: occurred_at, type (fields: customer_id, name, segment, plan, region, signed_up_at, monthly_value, tolerance, attrs; put anything else in an attrs column as a JSON object)`],
			[['import-customers', twice], 1, 'cx import-customers: 1 row(s) rejected; nothing imported'],
			[['import', csv, '--timezone', 'Nowhere/Typo'], 2, 'cx import: --timezone: unknown time zone "Nowhere/Typo" (use an IANA name such as Europe/London)'],
			[['display-token', 'create', '--board', 'nosuch'], 2, `cx display-token: --board "nosuch" is not one of ${BUILTIN_BOARDS.map((b) => b.name).join(', ')}`],
			[['display-token', 'create', '--board', 'main', '--name', 'x'.repeat(101)], 1, 'cx display-token create: --name is 101 characters long; at most 100 are allowed'],
			[['keys', 'create', '--scope', 'ingest', '--name', 'x'.repeat(101)], 1, 'cx keys create: --name is 101 characters long; at most 100 are allowed'],
			[['users', 'add', 'Bad Name!', '--role', 'admin'], 1, 'cx users add: username "bad name!" is not valid: use 1–64 letters, digits, ".", "_" or "-", starting with a letter or digit'],
			[['users', 'add', 'system', '--role', 'admin'], 1, 'cx users add: username "system" is reserved: the audit log and work-item history use it for the software\'s own actions']
		];
		const base = join(dir, 'refused-new');
		for (const [args, code, message] of cases) {
			const r = await cx([...args, '--db', join(base, 'x', 'new.duckdb')]);
			expect(r.code, args.join(' ')).toBe(code);
			expect(r.err, args.join(' ')).toContain(message);
			expect(existsSync(base), args.join(' ')).toBe(false);
		}
		// The same arguments, accepted, do create it.
		const ok = await cx(['import', csv, '--timezone', 'America/New_York', '--db', join(base, 'x', 'new.duckdb')]);
		expect(ok.code, ok.err.join('\n')).toBe(0);
		expect(existsSync(join(base, 'x', 'new.duckdb'))).toBe(true);
	});
});

describe('output paths and file errors', () => {
	it('an output where nothing can be written is refused even for root (access() would say yes)', () => {
		expect(() => prepareOutputs({ '--report-out': '/proc/cx-no-such/r.json' })).toThrow(/--report-out cannot be written: .* on \/proc/);
		const d = fresh('probe');
		prepareOutputs({ '--out': join(d, 'sub', 'x.json') });
		expect(existsSync(join(d, 'sub'))).toBe(true);
		// The probe file is gone again.
		expect(readdirSync(d)).toEqual(['sub']);
	});

	it('backtest checks both outputs before training and writes nothing when either is unusable', async () => {
		const d = fresh('bt');
		const folder = fresh('bt/scores-folder');
		const file = join(d, 'a-file');
		writeFileSync(file, 'x');
		const bad = await cx([
			'backtest',
			'--cutoff',
			'2026-01-01',
			'--horizon-days',
			'30',
			'--scores-out',
			folder,
			'--report-out',
			join(d, 'r.json'),
			'--db',
			dbPath
		]);
		expect(bad.code).toBe(1);
		expect(bad.err).toEqual([`cx backtest: --scores-out is a folder, not a file (${folder})`]);
		expect(bad.out).toEqual([]);
		const scores = join(d, 'new', 's.csv');
		const under = await cx([
			'backtest',
			'--cutoff',
			'2026-01-01',
			'--horizon-days',
			'30',
			'--scores-out',
			scores,
			'--report-out',
			join(file, 'r.json'),
			'--db',
			dbPath
		]);
		expect(under.code).toBe(1);
		expect(under.err).toEqual([
			`cx backtest: --report-out cannot be created: ${file} is a file, not a folder (${join(file, 'r.json')})`
		]);
		expect(existsSync(join(d, 'new'))).toBe(false);
	});

	it('model-card creates a missing output folder and refuses a folder as --out', async () => {
		const d = fresh('card');
		const report = join(d, 'report.json');
		writeFileSync(
			report,
			readFileSync(
				join(import.meta.dirname, '..', '..', 'models', 'churn', 'reports', 'online-retail-2011-09-09.json')
			)
		);
		const ok = await cx(['model-card', '--report', report, '--out', join(d, 'missing', 'card.md')]);
		expect(ok.code, ok.err.join('\n')).toBe(0);
		expect(existsSync(join(d, 'missing', 'card.md'))).toBe(true);
		const bad = await cx(['model-card', '--report', report, '--out', d]);
		expect(bad.code).toBe(1);
		expect(bad.err).toEqual([`cx model-card: --out is a folder, not a file (${d})`]);
	});

	it('model-card: a missing or unreadable report is a file problem (exit 1, no usage line)', async () => {
		const d = fresh('card-report');
		const missing = join(d, 'nonexist.json');
		const notJson = join(d, 'not.json');
		writeFileSync(notJson, 'auc: 0.8');
		const other = join(d, 'other.json');
		writeFileSync(other, '{"rows": 3}');
		const cases: [string, string][] = [
			[missing, `cx model-card: no such file: ${missing}`],
			[d, `cx model-card: cannot read the report ${d}: EISDIR: illegal operation on a directory, read`],
			[notJson, `cx model-card: cannot read the report ${notJson}: Unexpected token 'a', "auc: 0.8" is not valid JSON`],
			[other, `cx model-card: ${other} is not a backtest report (no auc / baselines)`]
		];
		for (const [report, message] of cases) {
			const r = await cx(['model-card', '--report', report, '--out', join(d, 'card.md')]);
			expect([r.code, r.err], report).toEqual([1, [message]]);
		}
		expect(existsSync(join(d, 'card.md'))).toBe(false);
	});

	it('models names a corrupt manifest and shows a version without metrics as –', async () => {
		const models = fresh('models');
		overrideConfig({ modelsDir: models });
		writeRegistry(models, [aModelVersion('v0001').build()]);
		writeFileSync(join(models, 'manifest.json'), '{"champion": "v0001", ');
		const corrupt = await cx(['models']);
		expect(corrupt.code).toBe(1);
		expect(corrupt.err).toHaveLength(1);
		expect(corrupt.err[0]).toMatch(
			new RegExp(`^cx models: ${join(models, 'manifest.json')} is not valid JSON \\(.+\\)$`)
		);

		writeRegistry(models, [aModelVersion('v0001').build(), aModelVersion('v0003').withFittedBands(0.0862, 0.1614, { medium: 0.3002, high: 0.1001 }).build(), aModelVersion('v0004').withAuc(0.7584).build()]);
		mkdirSync(join(models, 'v0002'));
		writeFileSync(join(models, 'v0002', 'metadata.json'), '{}');
		const r = await cx(['models']);
		expect(r.code, r.err.join('\n')).toBe(0);
		expect(r.out.find((l) => l.includes('v0002'))).toBe(
			['', 'v0002', '–', '–', '–', '–', '–', '–', '–', '–', '–', '–', '-', '–', '–'].join('\t')
		);
		// Figures rounded as the Models page rounds them (3 decimals, Brier and ECE 4, lift as 1.52×); times said to be UTC.
		// Columns in the order scripts read them by position; the validation cutoff, added later, is the last.
		expect(r.out[0].split('\t')).toEqual(['', 'version', 'created', 'definition', 'auc', 'pr_auc', 'brier', 'ece', 'lift@10', 'auc recency', 'auc rfm', 'beats', 'champion then (auc, same snapshot)', 'high risk from', 'validation cutoff']);
		const v0004 = r.out.find((l) => l.includes('v0004'))?.split('\t');
		expect(v0004?.slice(1, 11)).toEqual(['v0004', '2026-11-01 10:00 UTC', 'inactivity/90d', '0.758', '0.379', '0.2000', '0.0300', '1.52×', '0.700', '0.720']);
		// The validation split (as-of 2026-07-01T00:00Z: features before it) named by its cutoff, as a backtest takes it.
		expect(v0004?.at(-1)).toBe('2026-06-30');
		// The fixture's v0001 has the fixed bands of versions saved before bands were fitted.
		expect(r.out.find((l) => l.includes('v0001'))?.split('\t').at(-2)).toBe('60.0 % (fixed)');
		expect(r.out.find((l) => l.includes('v0003'))?.split('\t').at(-2)).toBe('16.1 % (riskiest 10 %)');
		expect(r.err).toEqual(['note: v0002: metadata.json without metrics, shown as –']);
		const promote = await cx(['promote', 'v0002']);
		expect(promote.code).toBe(1);
		expect(promote.err[0]).toBe(
			`cx promote: ${join(models, 'v0002', 'metadata.json')} has no metrics to compare with the baselines; use --force to promote anyway`
		);
	});

	it('export into a folder, or with a name that is not .parquet, is one line; a missing folder is created', async () => {
		const d = fresh('export');
		const folder = fresh('export/events.parquet');
		const r = await cx(['export', '--out', folder, '--db', dbPath]);
		expect(r.code).toBe(1);
		expect(r.err).toEqual([`cx export: --out is a folder, not a file (${folder})`]);
		const csv = await cx(['export', '--out', join(d, 'x.csv'), '--db', dbPath]);
		expect(csv.code).toBe(2);
		expect(csv.err[0]).toBe(
			`cx export: --out must name a .parquet file (the export is always Parquet), not ${join(d, 'x.csv')}`
		);
		const made = await cx(['export', '--out', join(d, 'new', 'e.parquet'), '--db', dbPath]);
		expect(made.code, made.err.join('\n')).toBe(0);
		expect(made.out).toEqual([`wrote 1 event to ${join(d, 'new', 'e.parquet')}`]);
	});

	it('turns file-system and DuckDB file errors into one line naming the path, and nothing else', () => {
		const denied = Object.assign(new Error("EACCES: permission denied, open '/x/y'"), {
			code: 'EACCES',
			path: '/x/y',
			syscall: 'open'
		});
		expect(readableFailure(denied)).toBe('permission denied (/x/y)');
		expect(readableFailure(new Error('IO Error: Cannot open file "/tmp/out": Is a directory'))).toBe(
			'cannot open file: is a directory (/tmp/out)'
		);
		expect(readableFailure(new TypeError("Cannot read properties of undefined (reading 'auc')"))).toBeNull();
		expect(readableFailure(new Error('Catalog Error: Table with name x does not exist!'))).toBeNull();
	});

	it('still lets a bug surface with its stack', async () => {
		const models = fresh('models-bug');
		overrideConfig({ modelsDir: models });
		const spy = vi
			.spyOn(
				COMMANDS.find((c) => c.name === 'models')!,
				'run'
			)
			.mockRejectedValueOnce(new TypeError('boom'));
		try {
			await expect(main(['models'])).rejects.toThrow('boom');
		} finally {
			spy.mockRestore();
		}
	});
});

describe('arguments', () => {
	it('refuses extra positionals and options of another subcommand', async () => {
		const cases: [string[], string][] = [
			[['promote', 'v0001', 'v0002'], 'cx promote: unexpected argument "v0002": promote takes only VERSION'],
			[['rollback', 'extra'], 'cx rollback: unexpected argument "extra": rollback takes no arguments'],
			[['models', 'a', 'b'], 'cx models: unexpected arguments "a" "b": models takes no arguments'],
			[['keys', 'list', '--scope', 'admin'], 'cx keys: --scope does not apply to keys list'],
			[['keys', 'revoke', 'a', 'b'], 'cx keys: unexpected argument "b": keys revoke takes only ID'],
			[['users', 'list', 'x'], 'cx users: unexpected argument "x": users list takes no arguments'],
			[['display-token', 'lst'], 'cx display-token: unknown subcommand "lst" (create, list or revoke)']
		];
		for (const [args, message] of cases) {
			const r = await cx([...args, '--db', dbPath]);
			expect(r.code, args.join(' ')).toBe(2);
			expect(r.err[0]).toBe(message);
		}
	});

	it('words a mistyped option as the CLI does, with the usage line (exit 2)', async () => {
		const cases: [string[], string][] = [
			[['score', '--extra'], 'cx score: unknown option --extra'],
			[['score', '-x'], 'cx score: unknown option -x'],
			[['train', '--epochs'], 'cx train: --epochs needs a value'],
			[['import', 'f.csv', '--strict=yes'], 'cx import: --strict takes no value'],
			[['import', 'f.csv', '--source', '-crm'], 'cx import: --source needs a value (one starting with "-" goes after "=": --source=-…)']
		];
		for (const [args, message] of cases) {
			const r = await cx([...args, '--db', dbPath]);
			expect(r.code, args.join(' ')).toBe(2);
			expect(r.err).toEqual([message, `usage: npm run cx -- ${COMMANDS.find((c) => c.name === args[0])!.usage}`]);
		}
	});

	it('takes a negative number after a numeric option as its value, so the option\'s own check names it', async () => {
		const out = join(dir, 'negative-out');
		const csv = join(fresh('negative'), 'events.csv');
		writeFileSync(csv, 'customer_id,occurred_at,type\nc1,2026-01-01,visit\n');
		const cases: [string[], string, string][] = [
			[['train'], '--horizon-days', 'cx train: --horizon-days -3: must be a whole number of days from 1 to 3650'],
			[['train'], '--epochs', 'cx train: --epochs -3: must be a whole number from 1 to 500'],
			[['backtest', '--cutoff', '2026-01-01', '--scores-out', join(out, 's.csv'), '--report-out', join(out, 'r.json')], '--horizon-days', 'cx backtest: --horizon-days -3: must be a whole number of days from 1 to 3650'],
			[['demo'], '--customers', 'cx demo: --customers "-3" must be a whole number ≥ 1'],
			[['demo'], '--days', 'cx demo: --days "-3" must be a whole number ≥ 1'],
			[['demo', '--live'], '--rate', 'cx demo: --rate "-3" must be a whole number ≥ 1'],
			[['import', csv], '--chunk-rows', 'cx import: --chunk-rows must be a whole number ≥ 1']
		];
		for (const [args, flag, message] of cases) {
			const apart = await cx([...args, flag, '-3', '--db', dbPath]);
			const joined = await cx([...args, `${flag}=-3`, '--db', dbPath]);
			expect([apart.code, apart.err[0]], `${args[0]} ${flag}`).toEqual([2, message]);
			expect(joined.err, `${args[0]} ${flag}`).toEqual(apart.err);
		}
		expect(existsSync(out)).toBe(false);
	});

	it('takes --db before the command as after it, but only once', async () => {
		const after = await cx(['users', 'list', '--db', dbPath]);
		expect(after.code, after.err.join('\n')).toBe(0);
		expect(await cx(['--db', dbPath, 'users', 'list'])).toEqual(after);
		expect(await cx([`--db=${dbPath}`, 'users', 'list'])).toEqual(after);
		const twice = await cx(['--db', dbPath, 'users', 'list', '--db', join(dir, 'other.duckdb')]);
		expect(twice.code).toBe(2);
		expect(twice.err[0]).toBe('cx users: give --db once');
	});

	it('resolves relative paths against the folder cx was started from, and shows them resolved', async () => {
		const d = fresh('caller');
		overrideConfig({ callerCwd: d });
		const missing = await cx(['import', 'ev.csv', '--db', 'rel.duckdb']);
		expect(missing.err[0]).toBe(`cx import: no such file: ${join(d, 'ev.csv')}`);
		// A missing file is not a usage error: no usage line, exit 1 like every other file problem.
		expect([missing.code, missing.err.length]).toEqual([1, 1]);
		writeFileSync(join(d, 'customers.csv'), 'customer_id,name\nc-1,Ann\n');
		const r = await cx(['import-customers', 'customers.csv', '--db', 'rel.duckdb']);
		expect(r.code, r.err.join('\n')).toBe(0);
		expect(existsSync(join(d, 'rel.duckdb'))).toBe(true);
		const e = await cx(['export', '--out', 'out/e.parquet', '--db', 'rel.duckdb']);
		expect(e.code, e.err.join('\n')).toBe(0);
		expect(existsSync(join(d, 'out', 'e.parquet'))).toBe(true);
	});
});

describe('messages', () => {
	it('export names --from and --to', async () => {
		const bad = await cx(['export', '--out', join(dir, 'm.parquet'), '--from', 'yesterday', '--db', dbPath]);
		expect(bad.code).toBe(2);
		expect(bad.err[0]).toMatch(/^cx export: --from must be an ISO-8601 date or timestamp/);
		const order = await cx([
			'export',
			'--out',
			join(dir, 'm.parquet'),
			'--from',
			'2026-02-01',
			'--to',
			'2026-01-01',
			'--db',
			dbPath
		]);
		expect(order.err[0]).toBe('cx export: --from must be before --to');
	});

	it('keys: --name in the message (too long, or an active key’s), and a second revoke is an error that says when', async () => {
		const long = await cx(['keys', 'create', '--scope', 'ingest', '--name', 'x'.repeat(1000), '--db', dbPath]);
		expect(long.code).toBe(1);
		expect(long.err[0]).toBe('cx keys create: --name is 1,000 characters long; at most 100 are allowed');
		expect((await cx(['keys', 'create', '--scope', 'ingest', '--name', 'shop webhook', '--db', dbPath])).code).toBe(0);
		const twice = await cx(['keys', 'create', '--scope', 'admin', '--name', 'Shop Webhook', '--db', dbPath]);
		expect(twice.code).toBe(1);
		expect(twice.err[0]).toBe(
			'cx keys create: --name "shop webhook" is already used by an active API key; choose another name or revoke that API key first'
		);
		const made = await cx(['keys', 'create', '--scope', 'ingest', '--db', dbPath]);
		const id = /id ([a-z2-7]+)/.exec(made.out[0])![1];
		expect((await cx(['keys', 'revoke', id, '--db', dbPath])).code).toBe(0);
		const again = await cx(['keys', 'revoke', id, '--db', dbPath]);
		expect(again.code).toBe(1);
		expect(again.err[0]).toMatch(
			new RegExp(
				`^cx keys revoke: API key "ingest key" \\(id ${id}\\) was already revoked at \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC$`
			)
		);
	});
});

describe('help', () => {
	it('documents every option of every command', () => {
		for (const c of COMMANDS) {
			const h = commandHelp(config(), c.name);
			expect(h, c.name).toBeDefined();
			expect(Object.keys(h!.options).sort(), c.name).toEqual(Object.keys(c.options).sort());
		}
	});

	it('lists options with their defaults; `help COMMAND` is COMMAND --help', async () => {
		const imp = await cx(['import', '--help']);
		expect(imp.code).toBe(0);
		const text = imp.out.join('\n');
		expect(text).toMatch(/--chunk-rows N\s+rows committed per transaction \(default 1,000,000\)/);
		expect(text).toContain(`(default ${config().dbMemoryLimit ?? IMPORT_MEMORY_LIMIT};`);
		expect((await cx(['help', 'import'])).out).toEqual(imp.out);
		const train = (await cx(['train', '--help'])).out.join('\n');
		expect(train).toMatch(/--horizon-days N\s+.*\(default 90\)/);
		expect(train).toContain('(default: the last event day minus the horizon)');
		// `models` reads the recorded training runs when the database is there: its --db is used.
		const models = (await cx(['help', 'models'])).out.join('\n');
		expect(models).toMatch(/--db PATH\s+the DuckDB database file \(default .*; CX_DB\); read for the recorded training runs, to add the newest one's error when it failed;/);
		expect(models).not.toContain('not used by this command');
		// A backtest scores nobody who had cancelled by the cutoff, as its scores file shows.
		expect((await cx(['help', 'backtest'])).out.join('\n')).toMatch(/--cutoff DATE\s+YYYY-MM-DD: score the customers active on or before this day, except those who had cancelled by then \(required\)/);
		const demo = (await cx(['demo', '--help'])).out.join('\n');
		expect(demo).toContain(`(default ${config().demoCustomers}; CX_DEMO_CUSTOMERS)`);
		expect(demo).toContain(`(default ${config().demoDays}; CX_DEMO_DAYS)`);
		expect(demo).toContain(`(default ${config().demoSeed}; CX_DEMO_SEED)`);
		const boards = (await cx(['display-token', '--help'])).out.join('\n');
		for (const b of BUILTIN_BOARDS) expect(boards).toMatch(new RegExp(`^  ${b.name}\\s+${b.title}$`, 'm'));
	});

	it('takes --db before `help` too, and shows the same help without opening the database', async () => {
		const users = await cx(['help', 'users']);
		expect(users.code).toBe(0);
		expect(users.out[0]).toBe('usage: npm run cx -- users add NAME --role ROLE | users list');
		const general = await cx(['help']);
		const missing = join(dir, 'help', 'never.duckdb');
		for (const args of [
			['--db', missing, 'help', 'users'],
			[`--db=${missing}`, 'help', 'users'],
			['help', '--db', missing, 'users'],
			['help', 'users', '--db', missing],
			['--db', missing, 'users', '--help']
		]) {
			expect(await cx(args), args.join(' ')).toEqual(users);
		}
		expect(await cx(['--db', missing, 'help']), '--db X help').toEqual(general);
		expect(await cx(['help', `--db=${missing}`]), 'help --db=X').toEqual(general);
		// A topic that is no command is still refused, with or without --db.
		const unknown = await cx(['--db', missing, 'help', 'nosuch']);
		expect([unknown.code, unknown.err[0]]).toEqual([2, 'cx help: unknown command "nosuch"']);
		expect(existsSync(missing)).toBe(false);
	});

	it('says where --db goes and that CX_DB comes before the built-in default', async () => {
		const r = await cx(['help']);
		expect(r.out[0]).toContain('every command accepts --db PATH, before or after it; default CX_DB when set, else data/cx.duckdb');
	});

	it('puts the summary of a long usage line under it', async () => {
		const r = await cx(['help']);
		for (const c of COMMANDS) {
			const i = r.out.findIndex((l) => l.startsWith(`  ${c.usage}`));
			expect(i, c.name).toBeGreaterThan(-1);
			const summaryLine = c.usage.length > 60 ? r.out[i + 1] : r.out[i];
			expect(summaryLine.endsWith(` ${c.summary}`), c.name).toBe(true);
			if (c.usage.length > 60) expect(r.out[i]).toBe(`  ${c.usage}`);
		}
	});
});
