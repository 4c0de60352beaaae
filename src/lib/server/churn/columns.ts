// Fast numeric column reads for millions of rows: each result chunk's vectors are copied as typed arrays
// straight from DuckDB's C API (the same calls @duckdb/node-api makes inside its vectors), instead of
// one getItem() per value, whose BigInt validity test dominated the snapshot read. Every selected column
// must be INTEGER or DOUBLE (cast in SQL); NULL becomes NaN.
import duckdb from '@duckdb/node-bindings';
import { DuckDBTypeId, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';

/** A Float64Array that grows by doubling as chunks arrive. */
class Growing {
	data = new Float64Array(4096);
	length = 0;
	reserve(extra: number): void {
		if (this.length + extra <= this.data.length) return;
		let size = this.data.length;
		while (size < this.length + extra) size *= 2;
		const next = new Float64Array(size);
		next.set(this.data.subarray(0, this.length));
		this.data = next;
	}
}

export async function readNumericColumns(conn: DuckDBConnection, sql: string, params: Record<string, DuckDBValue>): Promise<Record<string, Float64Array>> {
	const result = await conn.run(sql, params);
	const names = result.columnNames();
	const types = result.columnTypes().map((t, j) => {
		if (t.typeId !== DuckDBTypeId.DOUBLE && t.typeId !== DuckDBTypeId.INTEGER)
			throw new Error(`readNumericColumns: column ${names[j]} is ${t.toString()}; cast it to DOUBLE or INTEGER`);
		return t.typeId;
	});
	const cols = names.map(() => new Growing());
	for (;;) {
		const chunk = await result.fetchChunk();
		if (!chunk || chunk.rowCount === 0) break;
		const n = chunk.rowCount;
		for (let j = 0; j < names.length; j++) {
			const vector = duckdb.data_chunk_get_vector(chunk.chunk, j);
			const col = cols[j];
			col.reserve(n);
			const out = col.data.subarray(col.length, col.length + n);
			const bytes = duckdb.vector_get_data(vector, n * (types[j] === DuckDBTypeId.DOUBLE ? 8 : 4));
			if (types[j] === DuckDBTypeId.DOUBLE) out.set(new Float64Array(bytes.buffer, bytes.byteOffset, n));
			else out.set(new Int32Array(bytes.buffer, bytes.byteOffset, n));
			// Validity: one bit per row, little-endian 64-bit words (so byte i >> 3, bit i & 7); absent = all valid.
			const valid = duckdb.vector_get_validity(vector, Math.ceil(n / 64) * 8);
			if (valid) for (let i = 0; i < n; i++) if (((valid[i >> 3] >> (i & 7)) & 1) === 0) out[i] = NaN;
			col.length += n;
		}
	}
	return Object.fromEntries(names.map((name, j) => [name, cols[j].data.slice(0, cols[j].length)]));
}
