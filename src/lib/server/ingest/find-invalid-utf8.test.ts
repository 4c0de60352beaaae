import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FUZZ_SEED } from '../../../../tests/fixtures/hostile';
import { findInvalidUtf8, lineOfByte } from './find-invalid-utf8';

const decodes = (b: Uint8Array, stream = false) => {
	try {
		new TextDecoder('utf-8', { fatal: true }).decode(b, { stream });
		return true;
	} catch {
		return false;
	}
};

describe('findInvalidUtf8', () => {
	it('agrees with the fatal TextDecoder, and everything before the offset decodes', () => {
		fc.assert(
			fc.property(fc.uint8Array({ maxLength: 16 }), fc.string({ unit: 'binary', maxLength: 8 }), (noise, text) => {
				const b = new Uint8Array([...new TextEncoder().encode(text), ...noise]);
				const at = findInvalidUtf8(b);
				return at < 0 === decodes(b) && (at < 0 || decodes(b.subarray(0, at), true));
			}),
			{ seed: FUZZ_SEED, numRuns: 300 }
		);
	});

	it('names the start of a broken sequence: overlong, surrogate, past U+10FFFF, cut short', () => {
		expect(findInvalidUtf8(new Uint8Array([0x61, 0xc0, 0x80]))).toBe(1);
		expect(findInvalidUtf8(new Uint8Array([0x61, 0x62, 0xed, 0xa0, 0x80]))).toBe(2);
		expect(findInvalidUtf8(new Uint8Array([0xf4, 0x90, 0x80, 0x80]))).toBe(0);
		expect(findInvalidUtf8(new Uint8Array([0x61, 0xe2, 0x82]))).toBe(1);
		expect(findInvalidUtf8(new TextEncoder().encode('ok 😀 Ω'))).toBe(-1);
	});

	it('lineOfByte counts newlines before the offset', () => {
		const b = new TextEncoder().encode('a\nbc\nd');
		expect([0, 2, 5].map((i) => lineOfByte(b, i))).toEqual([1, 2, 3]);
	});
});
