import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { bodyEncodingOf, gunzipLimited } from './content-encoding';

describe('bodyEncodingOf', () => {
	it('takes identity and gzip', () => {
		for (const h of [null, '', 'identity', ' Identity '])
			expect(bodyEncodingOf(h)).toEqual({ ok: true, value: 'identity' });
		for (const h of ['gzip', 'GZIP', 'x-gzip', 'identity, gzip'])
			expect(bodyEncodingOf(h)).toEqual({ ok: true, value: 'gzip' });
	});

	it('refuses anything else, naming it', () => {
		for (const h of ['br', 'deflate', 'zstd', 'gzip, gzip', 'gzip, br']) {
			expect(bodyEncodingOf(h)).toEqual({
				ok: false,
				error: `Content-Encoding "${h}" is not supported: send the body uncompressed (identity) or as gzip`
			});
		}
	});
});

describe('gunzipLimited', () => {
	it('expands up to the limit and no further', async () => {
		const packed = gzipSync(Buffer.alloc(1000, 0x61));
		expect(await gunzipLimited(packed, 1000)).toEqual({ ok: true, value: expect.any(Uint8Array) });
		expect(await gunzipLimited(packed, 999)).toEqual({ ok: false, error: 'too-large' });
	});

	it('reports data that is not gzip or is cut short', async () => {
		expect(await gunzipLimited(new TextEncoder().encode('[]'), 1000)).toEqual({
			ok: false,
			error: 'malformed',
			message: 'incorrect header check'
		});
		const packed = gzipSync('[]');
		expect(await gunzipLimited(packed.subarray(0, packed.length - 4), 1000)).toEqual({
			ok: false,
			error: 'malformed',
			message: 'unexpected end of file'
		});
	});
});
