// Reads a request body up to a byte limit, counting what actually arrives (content-length can lie or
// be absent with chunked encoding) and stopping as soon as the limit is passed.
export type BodyResult = { ok: true; value: Uint8Array } | { ok: false; error: 'too-large' };

/**
 * A refused body is still read and dropped, for at most this long and this much, like nginx's lingering
 * close: closing a socket with unread bytes makes the kernel send a reset, and a client that is still
 * uploading then loses the answer it was sent. Past these bounds the connection is cut.
 */
const LINGER_MS = 30_000;
const LINGER_BYTES = 256 * 1024 * 1024;

async function drain(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<void> {
	let dropped = 0;
	const timer = setTimeout(() => void reader.cancel().catch(() => undefined), LINGER_MS);
	// The server process must not stay up for a client that keeps sending.
	timer.unref();
	try {
		while (dropped <= LINGER_BYTES) {
			const { done, value } = await reader.read();
			if (done) return;
			dropped += value.byteLength;
		}
		await reader.cancel();
	} catch {
		// The client went away or the timer cancelled: nothing is left to answer.
	} finally {
		clearTimeout(timer);
	}
}

/**
 * Drops the rest of a body in the background, so the caller can answer at once (the 413 or 415 goes out
 * while the client is still sending) without the connection being reset under the answer.
 */
function discardInBackground(reader: ReadableStreamDefaultReader<Uint8Array>): void {
	void drain(reader);
}

/** For answers that refuse a request without reading its body (wrong type or encoding, 403). */
export function discardBody(body: ReadableStream<Uint8Array> | null): void {
	if (!body || body.locked) return;
	discardInBackground(body.getReader());
}

export async function readBodyLimited(
	body: ReadableStream<Uint8Array> | null,
	maxBytes: number,
	declaredLength?: number
): Promise<BodyResult> {
	// A declared length past the limit is answered before a byte is read: the client need not upload it.
	if (declaredLength !== undefined && Number.isFinite(declaredLength) && declaredLength > maxBytes) {
		discardBody(body);
		return { ok: false, error: 'too-large' };
	}
	if (!body) return { ok: true, value: new Uint8Array(0) };
	const reader = body.getReader();
	const chunks: Uint8Array[] = [];
	let total = 0;
	for (;;) {
		let r: ReadableStreamReadResult<Uint8Array>;
		try {
			r = await reader.read();
		} catch (e) {
			reader.releaseLock();
			throw e;
		}
		if (r.done) break;
		total += r.value.byteLength;
		if (total > maxBytes) {
			discardInBackground(reader);
			return { ok: false, error: 'too-large' };
		}
		chunks.push(r.value);
	}
	reader.releaseLock();
	if (chunks.length === 1) return { ok: true, value: chunks[0] };
	const out = new Uint8Array(total);
	let at = 0;
	for (const c of chunks) {
		out.set(c, at);
		at += c.byteLength;
	}
	return { ok: true, value: out };
}
