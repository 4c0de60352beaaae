// Content-Encoding of an events body: identity or gzip. Decompression is bounded by the same byte limit
// as a plain body, so a small gzip "bomb" cannot expand into more memory than an uncompressed upload.
import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';

const gunzipAsync = promisify(gunzip);

export type BodyEncoding = 'identity' | 'gzip';

export type EncodingOf = { ok: true; value: BodyEncoding } | { ok: false; error: string };

/** The encoding named by a Content-Encoding header; anything but identity or one gzip is refused (→ 415). */
export function bodyEncodingOf(header: string | null): EncodingOf {
	const codings = (header ?? '')
		.split(',')
		.map((c) => c.trim().toLowerCase())
		.filter((c) => c !== '' && c !== 'identity');
	if (codings.length === 0) return { ok: true, value: 'identity' };
	if (codings.length === 1 && (codings[0] === 'gzip' || codings[0] === 'x-gzip'))
		return { ok: true, value: 'gzip' };
	return {
		ok: false,
		error: `Content-Encoding "${(header ?? '').trim().slice(0, 80)}" is not supported: send the body uncompressed (identity) or as gzip`
	};
}

export type GunzipResult =
	| { ok: true; value: Uint8Array }
	| { ok: false; error: 'too-large' }
	| { ok: false; error: 'malformed'; message: string };

export async function gunzipLimited(bytes: Uint8Array, maxBytes: number): Promise<GunzipResult> {
	try {
		// zlib stops with ERR_BUFFER_TOO_LARGE as soon as the output would pass maxOutputLength.
		return { ok: true, value: await gunzipAsync(bytes, { maxOutputLength: maxBytes }) };
	} catch (e) {
		if ((e as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') return { ok: false, error: 'too-large' };
		return { ok: false, error: 'malformed', message: e instanceof Error ? e.message : String(e) };
	}
}
