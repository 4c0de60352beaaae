// Reads a request body up to a byte limit, counting what actually arrives (content-length can lie or
// be absent with chunked encoding) and stopping as soon as the limit is passed.
export type BodyResult = { ok: true; value: Uint8Array } | { ok: false; error: 'too-large' };

export async function readBodyLimited(
	body: ReadableStream<Uint8Array> | null,
	maxBytes: number,
	declaredLength?: number
): Promise<BodyResult> {
	if (declaredLength !== undefined && Number.isFinite(declaredLength) && declaredLength > maxBytes) {
		await body?.cancel().catch(() => undefined);
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
				await reader.cancel().catch(() => undefined);
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
