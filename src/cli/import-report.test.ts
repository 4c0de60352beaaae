import { describe, expect, it } from 'vitest';
import type { ImportSummary } from '../lib/server/ingest';
import { importVerdict, problemLine, problemLines, progressFigures } from './import-report';

const summary = (over: Partial<ImportSummary>): ImportSummary => ({
	file: 'f.csv',
	format: 'csv',
	read: 10,
	records: 10,
	accepted: 10,
	duplicates: 0,
	rejected: 0,
	dropped: 0,
	errors: [],
	errorGroups: [],
	problemKinds: 0,
	committed: true,
	columns: { keptInAttrs: [], hints: [], ignored: [], sourceFromFile: false },
	...over
});

describe('progressFigures', () => {
	it('has no rate or ETA before the first row is done, instead of "0 rows/s, ETA 0 s"', () => {
		expect(progressFigures(0, 541_909, 0)).toEqual({ rate: '—', eta: '—' });
		expect(progressFigures(0, 541_909, 3)).toEqual({ rate: '—', eta: '—' });
	});

	it('gives the rate and the seconds left once rows are done', () => {
		expect(progressFigures(1000, 3000, 2)).toEqual({ rate: '500', eta: '4 s' });
		expect(progressFigures(3000, 3000, 2)).toEqual({ rate: '1500', eta: '0 s' });
	});
});

describe('problem lines', () => {
	it('keeps "line N: field message" for a problem of one row', () => {
		expect(problemLine({ field: 'type', message: 'is required', rows: 1, lines: [7], lastLine: 7 })).toBe('line 7: type is required');
	});

	it('counts a repeated problem once, with its first lines and the last', () => {
		expect(problemLine({ field: 'value', message: 'must be a finite number, got "x"', rows: 20, lines: [2, 3, 4, 5, 6], lastLine: 21 })).toBe(
			'value must be a finite number, got "x" — 20 rows, lines 2, 3, 4, 5, 6, … 21'
		);
		expect(problemLine({ field: 'type', message: 'is required', rows: 3, lines: [4, 9, 12], lastLine: 12 })).toBe('type is required — 3 rows, lines 4, 9, 12');
	});

	it('says how many rows and problems the list leaves out', () => {
		const lines = problemLines({
			rejected: 30,
			problemKinds: 4,
			errorGroups: [
				{ field: 'type', message: 'is required', rows: 20, lines: [2, 3, 4, 5, 6], lastLine: 21 },
				{ field: 'value', message: 'bad', rows: 1, lines: [30], lastLine: 30 }
			]
		});
		expect(lines).toEqual(['type is required — 20 rows, lines 2, 3, 4, 5, 6, … 21', 'line 30: value bad', '… and 9 more row(s) with 2 other problem(s)']);
	});
});

describe('importVerdict', () => {
	it('exits 0 when every row was imported or already stored', () => {
		expect(importVerdict(summary({}), 'f.csv')).toEqual({ code: 0, message: null });
		expect(importVerdict(summary({ accepted: 0, duplicates: 10 }), 'f.csv')).toEqual({ code: 0, message: null });
	});

	it('says "nothing was imported" when no row was accepted', () => {
		expect(importVerdict(summary({ accepted: 0, rejected: 10 }), 'f.csv')).toEqual({ code: 1, message: 'every row was rejected (10, listed above); nothing was imported' });
		expect(importVerdict(summary({ accepted: 0, duplicates: 4, rejected: 6 }), 'f.csv')).toEqual({
			code: 1,
			message: '6 row(s) rejected (listed above) and the other 4 were already stored; nothing was imported'
		});
	});

	it('still says the other rows were imported when some were', () => {
		expect(importVerdict(summary({ accepted: 7, rejected: 3 }), 'f.csv')).toEqual({ code: 1, message: '3 row(s) rejected (listed above); the other rows were imported' });
	});

	it('treats a file without rows like an empty file: exit 1, nothing was imported', () => {
		expect(importVerdict(summary({ read: 0, records: 0, accepted: 0 }), 'f.csv')).toEqual({ code: 1, message: 'f.csv has no rows below its header line; nothing was imported' });
		expect(importVerdict(summary({ format: 'parquet', read: 0, records: 0, accepted: 0 }), 'f.parquet')).toEqual({ code: 1, message: 'f.parquet has no records; nothing was imported' });
		expect(importVerdict(summary({ read: 3, records: 0, accepted: 0, dropped: 3 }), 'f.csv')).toEqual({
			code: 1,
			message: 'no events could be built from the 3 rows (3 without customer dropped); nothing was imported'
		});
	});

	it('keeps the --strict refusal', () => {
		expect(importVerdict(summary({ accepted: 0, rejected: 2, committed: false }), 'f.csv')).toEqual({ code: 1, message: '--strict: 2 row(s) rejected, nothing imported' });
	});
});
