import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { importMemoryLimit, isOutOfMemory, outOfMemoryMessage } from './memory-limit';

describe('import memory limit', () => {
	it('defaults to 1GB, keeps a given size and refuses nonsense and sizes too small to read a file', () => {
		expect(importMemoryLimit(undefined)).toEqual({ ok: true, value: '1GB' });
		expect(importMemoryLimit('2 GiB')).toEqual({ ok: true, value: '2GiB' });
		expect(importMemoryLimit('128MiB')).toEqual({ ok: true, value: '128MiB' });
		expect(importMemoryLimit('100MB').ok).toBe(false);
		expect(importMemoryLimit('lots')).toEqual({ ok: false, error: 'memory limit "lots" must be a size such as 512MB or 2GB' });
	});

	it("recognises DuckDB's own out-of-memory error and says what to do instead of SQL hints", async () => {
		const db = await DuckDBInstance.create(':memory:', { memory_limit: '64MB', threads: '1' });
		const conn = await db.connect();
		// A list aggregate cannot spill: 20 M integers do not fit in 64 MB.
		const err = await conn.run('SELECT list(i) FROM range(20000000) t(i)').then(
			() => null,
			(e: unknown) => e
		);
		conn.closeSync();
		db.closeSync();
		expect(isOutOfMemory(err)).toBe(true);
		expect(isOutOfMemory(new Error('Conversion Error: could not convert string'))).toBe(false);
		expect(outOfMemoryMessage('1GB')).toBe(
			"DuckDB needed more memory than the import's limit of 1GB; run the import again with a larger --memory-limit (e.g. 4GB). Chunks committed before this point stay; importing the file again skips them as duplicates"
		);
	});
});
