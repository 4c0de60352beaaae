// Property/fuzz tests of the events importer: generated CSV and NDJSON files with bad rows, cut last
// lines, NUL bytes, formula-looking text and wrong types go through importFile (what `cx import` calls)
// against a real DuckDB file; hostile whole files go through the real CLI process. Every answer is a clear
// message naming line and field, or a summary where read = accepted + duplicates + rejected and the
// database grew by exactly `accepted`. Reproducible: fixed fast-check seed (CX_FUZZ_SEED).
import fc from 'fast-check';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb, shutdownDb } from '../../src/lib/server/db';
import { importFile, type ImportResult } from '../../src/lib/server/ingest';
import { toNdjson } from '../fixtures/events';
import { csvLine, fuzzParams, IMPORT_BAD_FIELDS, importText, nestedJson } from '../fixtures/hostile';
import { ROOT } from '../helpers/server';
import { tempDb, type TempDb } from '../helpers/temp-db';

const COLUMNS = ['event_id', 'customer_id', 'occurred_at', 'channel', 'type', 'value', 'rating', 'ticket_id', 'attrs'] as const;
type Row = Partial<Record<(typeof COLUMNS)[number], string>>;

let dir: string;
let t: TempDb;
let fileSeq = 0;

beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'cx-fuzz-import-'));
	t = await tempDb();
});
afterAll(async () => {
	await t?.cleanup();
	rmSync(dir, { recursive: true, force: true });
});

/** Writes rows as CSV (every field quoted) or NDJSON (every value a JSON string, attrs an object when valid). */
function writeRows(format: 'csv' | 'ndjson', rows: readonly Row[]): string {
	fileSeq += 1;
	const file = join(dir, `gen-${fileSeq}.${format}`);
	if (format === 'csv') {
		writeFileSync(file, [COLUMNS.join(','), ...rows.map((r) => csvLine(COLUMNS.map((c) => r[c])))].join('\n') + '\n');
	} else {
		const records = rows.map((r) => {
			const o: Record<string, unknown> = {};
			for (const c of COLUMNS) {
				if (r[c] === undefined) continue;
				o[c] = c === 'attrs' && r.attrs!.startsWith('{"') ? JSON.parse(r.attrs!) : r[c];
			}
			return o;
		});
		writeFileSync(file, toNdjson(records));
	}
	return file;
}

async function countEvents(): Promise<number> {
	return Number((await t.db.one<{ n: number | bigint }>('SELECT count(*) AS n FROM events'))!.n);
}

let rowSeq = 0;
const validRow = fc.record({ customer: importText(), ticket: fc.option(importText(), { nil: undefined }), note: fc.option(importText(), { nil: undefined }) }).map(
	(g): Row => {
		rowSeq += 1;
		return {
			event_id: `imp-${process.pid}-${rowSeq}`,
			customer_id: g.customer,
			occurred_at: `2024-03-${String(1 + (rowSeq % 28)).padStart(2, '0')}T10:00:00Z`,
			channel: 'web',
			type: 'purchase',
			value: String(rowSeq % 500),
			ticket_id: g.ticket,
			attrs: g.note === undefined ? undefined : JSON.stringify({ note: g.note, __proto__x: '=CMD()' })
		};
	}
);
const badRow = fc.constantFrom(...Object.keys(IMPORT_BAD_FIELDS)).chain((field) =>
	fc.tuple(validRow, fc.constantFrom(...IMPORT_BAD_FIELDS[field])).map(([row, bad]) => {
		const r: Row = { ...row, [field]: bad };
		if (field === 'rating') r.type = 'survey_csat';
		return { row: r, field };
	})
);

describe('importFile under fuzz', { timeout: 120_000 }, () => {
	it('files of valid and bad rows: bad rows named by line and field, the rest stored exactly as written', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.array(fc.oneof({ weight: 3, arbitrary: validRow.map((row) => ({ row, field: null as string | null })) }, { weight: 1, arbitrary: badRow }), { minLength: 1, maxLength: 12 }),
				fc.constantFrom('csv' as const, 'ndjson' as const),
				async (items, format) => {
					const file = writeRows(format, items.map((i) => i.row));
					const before = await countEvents();
					const r = await importFile(t.db, file);
					expect(r.ok, JSON.stringify(r)).toBe(true);
					if (!r.ok) return;
					const s = r.value;
					const bad = items.flatMap((it, i) => (it.field === null ? [] : [{ line: i + (format === 'csv' ? 2 : 1), field: it.field }]));
					expect(s.read).toBe(items.length);
					expect(s.read).toBe(s.accepted + s.duplicates + s.rejected);
					expect(s.rejected).toBe(bad.length);
					expect(s.duplicates).toBe(0);
					expect(s.errors.map((e) => ({ line: e.line, field: e.field }))).toEqual(bad);
					for (const e of s.errors) expect(e.message.length).toBeGreaterThan(5);
					expect(await countEvents()).toBe(before + s.accepted);
					const good = items.filter((i) => i.field === null).map((i) => i.row);
					const ids = new Set(good.map((g) => g.event_id));
					const stored = (
						await t.db.all<{ event_id: string; customer_id: string; ticket_id: string | null; attrs: string | null }>('SELECT event_id, customer_id, ticket_id, attrs FROM events')
					).filter((x) => ids.has(x.event_id));
					expect(stored.length).toBe(good.length);
					for (const g of good) {
						const row = stored.find((x) => x.event_id === g.event_id)!;
						expect(row.customer_id).toBe(g.customer_id);
						expect(row.ticket_id).toBe(g.ticket_id ?? null);
						expect(row.attrs === null ? null : JSON.parse(row.attrs)).toEqual(g.attrs === undefined ? null : JSON.parse(g.attrs));
					}
				}
			),
			fuzzParams(30)
		);
	});

	it('a last line cut anywhere: a clear refusal storing nothing, or a summary that adds up', async () => {
		await fc.assert(
			fc.asyncProperty(fc.array(validRow, { minLength: 1, maxLength: 8 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom('csv' as const, 'ndjson' as const), async (rows, where, format) => {
				const file = writeRows(format, rows);
				const text = readFileSync(file);
				const lastStart = text.lastIndexOf(0x0a, text.length - 2) + 1;
				const cut = lastStart + Math.floor(where * (text.length - 1 - lastStart));
				writeFileSync(file, text.subarray(0, Math.max(cut, 1)));
				const before = await countEvents();
				const r = await importFile(t.db, file);
				if (!r.ok) {
					expect(r.error).toMatch(/line \d+|is empty|has no column/);
					expect(r.error).not.toMatch(/\n/);
					expect(await countEvents()).toBe(before);
					return;
				}
				const s = r.value;
				expect(s.read).toBe(s.accepted + s.duplicates + s.rejected);
				expect(await countEvents()).toBe(before + s.accepted);
				for (const e of s.errors) expect(e.line).toBeGreaterThanOrEqual(format === 'csv' ? 2 : 1);
			}),
			fuzzParams(30)
		);
	});
});

interface CliRun {
	code: number | null;
	signal: NodeJS.Signals | null;
	stdout: string;
	stderr: string;
}

/** `cx import FILE --db DB` as a real process (what `npm run cx -- import FILE` runs). */
function cxImport(file: string, db: string, ...args: string[]): Promise<CliRun> {
	return new Promise((resolve) => {
		const p = spawn(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', 'import', file, '--db', db, ...args], { cwd: ROOT });
		let stdout = '';
		let stderr = '';
		p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
		p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
		p.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr }));
	});
}

async function eventsIn(db: string): Promise<{ customer_id: string; type: string; attrs: string | null }[]> {
	const d = await getDb(db);
	try {
		return await d.all('SELECT customer_id, type, attrs FROM events ORDER BY customer_id');
	} finally {
		await shutdownDb(db);
	}
}

const STACK = /\n\s+at .+:\d+:\d+/;
const HEADER = 'customer_id,occurred_at,type,attrs\n';
const ndLine = (customer: string, extra = '') => `{"customer_id":${JSON.stringify(customer)},"occurred_at":"2024-01-01","type":"visit"${extra}}\n`;

type Check = (r: ImportResult, added: number) => void;

/** Hostile whole files through importFile (what the CLI calls): [name, file content, extension, what must hold]. */
const FILE_CASES: [string, string, string, Check][] = [
	[
		'a header-only file',
		HEADER,
		'csv',
		(r, added) => {
			expect(r.ok && r.value).toMatchObject({ read: 0, accepted: 0, rejected: 0 });
			expect(added).toBe(0);
		}
	],
	[
		'a CSV whose last line is cut inside a quoted field',
		`${HEADER}cq1,2024-01-01,visit,\n"cq2,2024-01-01,vis`,
		'csv',
		(r, added) => {
			expect(r.ok && r.value).toMatchObject({ read: 2, accepted: 1, rejected: 1, errors: [{ line: 3, field: 'type', message: expect.stringMatching(/must be a standard type/) }] });
			expect(added).toBe(1);
		}
	],
	[
		'a CSV row with fewer columns than the header',
		`${HEADER}cf1,2024-01-01,visit,\ncf2,2024-01-01\n`,
		'csv',
		(r, added) => {
			expect(r.ok && r.value).toMatchObject({ read: 2, accepted: 1, rejected: 1, errors: [{ line: 3, field: 'type', message: 'is required' }] });
			expect(added).toBe(1);
		}
	],
	[
		'a CSV without a required column',
		'customer_id,type\nc1,visit\n',
		'csv',
		(r, added) => {
			expect(r).toEqual({ ok: false, error: expect.stringMatching(/has no column occurred_at, which is required .*--map occurred_at=COLUMN/) });
			expect(added).toBe(0);
		}
	],
	[
		'NDJSON whose last line is cut',
		ndLine('n1') + ndLine('n2') + ndLine('n3').slice(0, 30),
		'ndjson',
		(r, added) => {
			expect(r).toEqual({ ok: false, error: expect.stringMatching(/as ndjson: line 3: malformed JSON/) });
			expect(added).toBe(0);
		}
	],
	[
		'NDJSON with a lone surrogate escape',
		ndLine('s1') + ndLine('s2\\ud800').replace('s2\\\\ud800', 's2\\ud800'),
		'ndjson',
		(r, added) => {
			expect(r).toEqual({ ok: false, error: expect.stringMatching(/line 2: holds text that is not valid Unicode/) });
			expect(added).toBe(0);
		}
	],
	[
		'NDJSON and CSV rows with attrs nested 65 deep: that row rejected like the API does, the others stored',
		ndLine('deep-ok', `,"attrs":{"a":${nestedJson(63)}}`) + ndLine('deep-bad', `,"attrs":{"a":${nestedJson(64)}}`) + ndLine('deep-ok2', `,"attrs":{"s":"${'['.repeat(100)}"}`),
		'ndjson',
		(r, added) => {
			expect(r.ok && r.value).toMatchObject({ read: 3, accepted: 2, rejected: 1, errors: [{ line: 2, field: 'attrs', message: 'must not nest objects or arrays deeper than 64 levels' }] });
			expect(added).toBe(2);
		}
	],
	[
		'CSV attrs nested 65 deep',
		`${HEADER}cd1,2024-01-01,visit,"{""a"":${nestedJson(64)}}"\ncd2,2024-01-01,visit,"{""a"":${nestedJson(63)}}"\n`,
		'csv',
		(r, added) => {
			expect(r.ok && r.value).toMatchObject({ read: 2, accepted: 1, rejected: 1, errors: [{ line: 2, field: 'attrs', message: 'must not nest objects or arrays deeper than 64 levels' }] });
			expect(added).toBe(1);
		}
	],
	[
		'NDJSON starting with a byte order mark',
		'\ufeff' + ndLine('bom1'),
		'ndjson',
		(r, added) => {
			expect(r).toEqual({ ok: false, error: expect.stringMatching(/line 1: starts with a byte order mark/) });
			expect(added).toBe(0);
		}
	],
	[
		'CSV with a byte order mark and CRLF line ends (as spreadsheets write it)',
		'\ufeffcustomer_id,occurred_at,type\r\nbom2,2024-01-01,visit\r\nbom3,2024-13-01,visit\r\n',
		'csv',
		(r, added) => {
			expect(r.ok && r.value).toMatchObject({ read: 2, accepted: 1, rejected: 1, errors: [{ line: 3, field: 'occurred_at' }] });
			expect(added).toBe(1);
		}
	],
	[
		'NDJSON with a line that is not an object',
		ndLine('o1') + '[1,2]\n',
		'ndjson',
		(r, added) => {
			expect(r).toEqual({ ok: false, error: expect.stringMatching(/line 2: must be a JSON object/) });
			expect(added).toBe(0);
		}
	]
];

describe('importFile with hostile files', { timeout: 60_000 }, () => {
	it.each(['csv', 'ndjson'])('a cut or fake .%s.gz is refused whole (DuckDB imported the rows before the break)', async (ext) => {
		const body = ext === 'csv' ? 'customer_id,occurred_at,type\n' + 'gz1,2024-01-01,visit\n'.repeat(3000) : ndLine('gz2').repeat(3000);
		const packed = gzipSync(body);
		const before = await countEvents();
		for (const [name, bytes] of [
			['cut', packed.subarray(0, packed.length - 12)],
			['fake', Buffer.from(body.slice(0, 200))]
		] as const) {
			const file = join(dir, `${name}-${ext}.${ext}.gz`);
			writeFileSync(file, bytes);
			expect(await importFile(t.db, file)).toEqual({ ok: false, error: expect.stringMatching(/it is not a complete gzip file \((unexpected end of file|incorrect header check)\)$/) });
		}
		expect(await countEvents()).toBe(before);
	});

	it.each(FILE_CASES)('%s', async (name, content, ext, check) => {
		const file = join(dir, `case-${name.replace(/\W+/g, '-').slice(0, 40)}.${ext}`);
		writeFileSync(file, content);
		const before = await countEvents();
		const r = await importFile(t.db, file);
		check(r, (await countEvents()) - before);
	});

	it('NDJSON with invalid UTF-8 bytes names the line', async () => {
		const file = join(dir, 'case-bad-utf8.ndjson');
		writeFileSync(file, Buffer.concat([Buffer.from(ndLine('v1') + '{"customer_id":"'), Buffer.from([0xc3, 0x28]), Buffer.from('","occurred_at":"2024-01-01","type":"visit"}\n')]));
		const before = await countEvents();
		expect(await importFile(t.db, file)).toEqual({ ok: false, error: expect.stringMatching(/line 2: is not valid UTF-8 \(byte 16 of the line\)/) });
		expect(await countEvents()).toBe(before);
	});
});

/** Hostile whole files through the CLI process: [name, file content, extension, what must hold]. */
const CLI_CASES: [string, string | Buffer, string, (r: CliRun, db: string) => Promise<void>][] = [
	[
		'an empty file',
		'',
		'csv',
		async (r) => {
			expect(r.code).toBe(1);
			expect(r.stderr).toMatch(/cx import: .*is empty/);
		}
	],
	[
		'CSV with invalid UTF-8 bytes',
		Buffer.concat([Buffer.from(`${HEADER}c1,2024-01-01,visit,\nc`), Buffer.from([0xff, 0xfe]), Buffer.from(',2024-01-01,visit,\n')]),
		'csv',
		async (r, db) => {
			expect(r.code).toBe(1);
			expect(r.stderr).toMatch(/cx import: cannot read .* as csv: CSV Error on Line: 3 Invalid unicode/);
			expect(await eventsIn(db)).toEqual([]);
		}
	],
	[
		'CSV with NUL bytes and formula-looking values (data, stored unchanged)',
		`${HEADER}"=CMD()",2024-01-01,visit,"{""f"":""@SUM(1)""}"\n+1,2024-01-01,visit,\n-2,2024-01-01,visit,\n"a\u0000b",2024-01-01,visit,\n@x,2024-01-01,vi\u0000sit,\n`,
		'csv',
		async (r, db) => {
			expect(r.code).toBe(1); // one row rejected
			expect(r.stdout).toMatch(/read:\s+5 rows/);
			expect(r.stdout).toMatch(/accepted:\s+4\b/);
			expect(r.stdout).toMatch(/line 6: type must be a standard type/);
			const rows = await eventsIn(db);
			expect(rows.map((e) => e.customer_id).sort()).toEqual(['+1', '-2', '=CMD()', 'a\u0000b'].sort());
			expect(JSON.parse(rows.find((e) => e.customer_id === '=CMD()')!.attrs!)).toEqual({ f: '@SUM(1)' });
		}
	],
	[
		'NDJSON nested 100,000 deep (DuckDB crashed the process on it)',
		ndLine('d1') + ndLine('d2', `,"attrs":{"a":${nestedJson(100_000)}}`),
		'ndjson',
		async (r, db) => {
			expect(r.signal).toBeNull();
			expect(r.code).toBe(1);
			expect(r.stderr).toMatch(/cx import: cannot import .*: line 2: JSON nests objects or arrays deeper than 1000 levels/);
			expect(await eventsIn(db)).toEqual([]);
		}
	],
	[
		'NDJSON with wrong types, NUL bytes and prototype keys',
		ndLine('ok-1', ',"attrs":{"__proto__":{"polluted":1},"k\\u0000":"v"}') +
			'{"customer_id":{"x":1},"occurred_at":"2024-01-01","type":"visit"}\n' +
			'{"customer_id":"t2","occurred_at":true,"type":"visit"}\n' +
			'{"customer_id":"t3","occurred_at":"2024-01-01","type":"purchase","value":"abc"}\n' +
			'{"customer_id":"t4","occurred_at":"1850-01-01","type":"visit"}\n',
		'ndjson',
		async (r, db) => {
			expect(r.code).toBe(1); // four rows rejected
			expect(r.stdout).toMatch(/read:\s+5 rows/);
			expect(r.stdout).toMatch(/accepted:\s+1\b/);
			expect(r.stdout).toMatch(/rejected:\s+4\b/);
			expect(r.stdout).toContain('line 2: customer_id must be text or a number, got a JSON object');
			expect(r.stdout).toContain('line 3: occurred_at must be text or a number, got a JSON boolean');
			expect(r.stdout).toContain('line 4: value must be a finite number, got "abc"');
			expect(r.stdout).toContain('line 5: occurred_at must not be before 1900-01-01');
			const rows = await eventsIn(db);
			expect(rows.map((e) => e.customer_id)).toEqual(['ok-1']);
			expect(JSON.parse(rows[0].attrs!)).toEqual(JSON.parse('{"__proto__":{"polluted":1},"k\\u0000":"v"}'));
			expect(({} as Record<string, unknown>).polluted).toBeUndefined();
		}
	]
];

describe.concurrent('cx import with hostile files', { timeout: 120_000 }, () => {
	it.each(CLI_CASES)('%s', async (name, content, ext, check) => {
		const slug = name.replace(/\W+/g, '-').slice(0, 40);
		const file = join(dir, `cli-${slug}.${ext}`);
		writeFileSync(file, content);
		const db = join(dir, `cli-${slug}.duckdb`);
		const r = await cxImport(file, db);
		expect(r.stderr + r.stdout, name).not.toMatch(STACK);
		await check(r, db);
	});
});
