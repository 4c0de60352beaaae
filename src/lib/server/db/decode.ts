// Turns DuckDB's JS values into plain JSON-friendly values, keyed by column name.
type Row = Record<string, unknown>;

function decodeValue(v: unknown): unknown {
	if (typeof v === 'bigint') {
		return v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(v) : v.toString();
	}
	if (Array.isArray(v)) return v.map(decodeValue);
	if (v && typeof v === 'object' && !(v instanceof Date) && !(v instanceof Uint8Array)) {
		const out: Row = {};
		for (const [k, x] of Object.entries(v)) out[k] = decodeValue(x);
		return out;
	}
	return v;
}

export function decodeRows(rows: Row[]): Row[] {
	return rows.map((row) => {
		const out: Row = {};
		for (const [k, v] of Object.entries(row)) out[k] = decodeValue(v);
		return out;
	});
}
