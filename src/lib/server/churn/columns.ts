// Fast numeric column reads: walks result chunks and reads typed vectors item by item, avoiding
// the generic per-value JS conversion (≈ 10× faster on millions of rows). Every selected column
// must be INTEGER or DOUBLE (cast in SQL); NULL becomes NaN.
import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';

export async function readNumericColumns(conn: DuckDBConnection, sql: string, params: Record<string, DuckDBValue>): Promise<Record<string, Float64Array>> {
	const result = await conn.run(sql, params);
	const names = result.columnNames();
	const parts: number[][] = names.map(() => []);
	for (;;) {
		const chunk = await result.fetchChunk();
		if (!chunk || chunk.rowCount === 0) break;
		const n = chunk.rowCount;
		for (let j = 0; j < names.length; j++) {
			const v = chunk.getColumnVector(j);
			const out = parts[j];
			for (let i = 0; i < n; i++) {
				const x = v.getItem(i);
				out.push(x === null ? NaN : (x as number));
			}
		}
	}
	const cols: Record<string, Float64Array> = {};
	names.forEach((name, j) => (cols[name] = Float64Array.from(parts[j])));
	return cols;
}
