import { VARCHAR } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { withScratchDb } from './scratch';

const BEYOND_SAFE = [1e19, -1e19, 2 ** 53 + 2];

describe('the db module binds numbers', () => {
	it('a number that is not a safe integer as DOUBLE: 1e19 is beyond int64, which failed the statement', async () => {
		await withScratchDb(async (db) => {
			await db.run('CREATE TABLE t (i INTEGER, x DOUBLE)');
			for (const [i, x] of BEYOND_SAFE.entries()) await db.run('INSERT INTO t VALUES (?, ?)', [i, x]);
			expect(await db.all('SELECT x FROM t ORDER BY i')).toEqual(BEYOND_SAFE.map((x) => ({ x })));
			for (const x of BEYOND_SAFE) {
				expect(await db.one('SELECT typeof(?) AS type, ? * 2 AS twice, ? - 1.5 AS less', [x, x, x])).toEqual({
					type: 'DOUBLE',
					twice: x * 2,
					less: x - 1.5
				});
			}
		});
	});

	it('on the connection of a write transaction too, with named values', async () => {
		await withScratchDb(async (db) => {
			await db.run('CREATE TABLE t (k VARCHAR, x DOUBLE)');
			await db.write(async (conn) => {
				await conn.run('INSERT INTO t VALUES ($k, $x)', { k: 'big', x: 1e19 });
				await conn.run('UPDATE t SET x = x + $d WHERE k = $k', { k: 'big', d: -1e19 });
			});
			expect(await db.all('SELECT k, x FROM t')).toEqual([{ k: 'big', x: 0 }]);
			const read = await db.connect((conn) =>
				conn.runAndReadAll('SELECT $a * $b AS p', { a: -1e19, b: 2 ** 53 + 2 })
			);
			expect(read.getRowObjectsJS()).toEqual([{ p: -1e19 * (2 ** 53 + 2) }]);
		});
	});

	it('safe integers and non-integers as before; a type the caller gives wins', async () => {
		await withScratchDb(async (db) => {
			const types = await db.one('SELECT typeof(?) AS a, typeof(?) AS b, typeof(?) AS c, typeof(?) AS d', [
				7,
				2 ** 40,
				0.5,
				Number.MAX_SAFE_INTEGER
			]);
			expect(types).toEqual({ a: 'INTEGER', b: 'BIGINT', c: 'DOUBLE', d: 'BIGINT' });
			const given = await db.connect((conn) =>
				conn.runAndReadAll('SELECT typeof($1) AS a, typeof($2) AS b', ['x', 1e19], [VARCHAR])
			);
			expect(given.getRowObjectsJS()).toEqual([{ a: 'VARCHAR', b: 'DOUBLE' }]);
		});
	});
});
