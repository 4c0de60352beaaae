// Reads a request body up to a byte limit, counting what actually arrives (content-length can lie or
// be absent with chunked encoding) and stopping as soon as the limit is passed.
export type BodyResult = { ok: true; value: Uint8Array } | { ok: false; error: 'too-large' };

/** Past the limit nothing is kept, but up to this much more is read and dropped. */
const DRAIN_BYTES = 16 * 1024 * 1024;

/**
 * Reads and discards the rest of an oversized body so the client, still sending, gets to read the 413
 * instead of a reset connection; a body larger still is cut off (the connection closes).
 */
async function drain(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<void> {
	let dropped = 0;
	while (dropped <= DRAIN_BYTES) {
		const { done, value } = await reader.read();
		if (done) return;
		dropped += value.byteLength;
	}
	await reader.cancel().catch(() => undefined);
}

export async function readBodyLimited(
	body: ReadableStream<Uint8Array> | null,
	maxBytes: number,
	declaredLength?: number
): Promise<BodyResult> {
	if (declaredLength !== undefined && Number.isFinite(declaredLength) && declaredLength > maxBytes) {
		if (body) {
			const reader = body.getReader();
			if (declaredLength - maxBytes > DRAIN_BYTES) await reader.cancel().catch(() => undefined);
			else await drain(reader);
		}
		return { ok: false, error: 'too-large' };
	}
	if (!body) return { ok: true, value: new Uint8Array(0) };
	const reader = body.getReader();
	const chunks: Uint8Array[] = [];
	let total = 0;
	try {
		for (;;) {
			const { done, value } = await reader.read();
			if (done) break;
			total += value.byteLength;
			if (total > maxBytes) {
				await drain(reader);
				return { ok: false, error: 'too-large' };
			}
			chunks.push(value);
		}
	} finally {
		reader.releaseLock();
	}
	if (chunks.length === 1) return { ok: true, value: chunks[0] };
	const out = new Uint8Array(total);
	let at = 0;
	for (const c of chunks) {
		out.set(c, at);
		at += c.byteLength;
	}
	return { ok: true, value: out };
}
