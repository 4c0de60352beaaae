import { describe, expect, it } from 'vitest';
import { readBodyLimited } from './read-body';

/** A body of `chunks` chunks of `size` bytes (endless when chunks is Infinity), counting what was pulled. */
function body(chunks: number, size: number) {
	const seen = { pulled: 0, cancelled: false };
	const stream = new ReadableStream<Uint8Array>(
		{
			pull(c) {
				if (seen.pulled >= chunks) return c.close();
				seen.pulled++;
				c.enqueue(new Uint8Array(size));
			},
			cancel() {
				seen.cancelled = true;
			}
		},
		{ highWaterMark: 0 }
	);
	return { stream, seen };
}

const settle = () => new Promise((r) => setTimeout(r, 20));

describe('readBodyLimited', () => {
	it('reads a body up to the limit', async () => {
		const b = body(4, 256);
		const r = await readBodyLimited(b.stream, 1024);
		expect(r.ok && r.value.byteLength).toBe(1024);
	});

	it('answers a declared length past the limit before reading, then drops the whole body so the answer is not cut off', async () => {
		const b = body(40, 1024);
		expect(await readBodyLimited(b.stream, 1024, 40 * 1024)).toEqual({ ok: false, error: 'too-large' });
		await settle();
		// Everything was read (dropped) without the stream being cancelled: a cancel resets the connection.
		expect(b.seen.pulled).toBe(40);
		expect(b.seen.cancelled).toBe(false);
	});

	it('answers a declared length far past the limit at once, even if the body never ends', async () => {
		const b = body(Infinity, 64 * 1024);
		const r = await Promise.race([
			readBodyLimited(b.stream, 1024, 1024 ** 3),
			settle().then(() => 'pending')
		]);
		expect(r).toEqual({ ok: false, error: 'too-large' });
		// The background read is bounded (by bytes here), then it lets go of the connection.
		for (let i = 0; i < 200 && !b.seen.cancelled; i++) await settle();
		expect(b.seen.cancelled).toBe(true);
	});

	it('answers a body without a declared length as soon as it passes the limit, dropping the rest', async () => {
		const b = body(100, 512);
		expect(await readBodyLimited(b.stream, 1024)).toEqual({ ok: false, error: 'too-large' });
		expect(b.seen.pulled).toBeLessThan(100);
		await settle();
		expect(b.seen.pulled).toBe(100);
		expect(b.seen.cancelled).toBe(false);
	});
});
