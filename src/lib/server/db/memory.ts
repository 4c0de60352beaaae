// One reading of where the process's memory is: the OS's view (RSS), V8's (heap, external buffers) and
// DuckDB's own accounting (duckdb_memory(): buffer cache, indexes, rows not yet checkpointed, per tag).
// What RSS holds beyond these is allocator retention and native memory neither side counts.
import type { Db } from './database';

export interface MemoryReading {
	rssMb: number;
	jsHeapMb: number;
	externalMb: number;
	/** duckdb_memory() in MB per tag, tags under 1 MB left out. */
	duckdbMb: Record<string, number>;
	duckdbTotalMb: number;
}

const mb = (bytes: number) => Math.round(bytes / 1e5) / 10;

export async function readMemory(db: Db): Promise<MemoryReading> {
	const rows = await db.all<{ tag: string; bytes: number }>(
		'SELECT tag, memory_usage_bytes AS bytes FROM duckdb_memory() WHERE memory_usage_bytes > 0'
	);
	const m = process.memoryUsage();
	const duckdbMb: Record<string, number> = {};
	let total = 0;
	for (const r of rows) {
		total += Number(r.bytes);
		if (Number(r.bytes) >= 1e6) duckdbMb[r.tag] = mb(Number(r.bytes));
	}
	return { rssMb: mb(m.rss), jsHeapMb: mb(m.heapUsed), externalMb: mb(m.external), duckdbMb, duckdbTotalMb: mb(total) };
}
