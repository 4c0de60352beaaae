// Locates the first byte that breaks UTF-8, so a rejected body can say where (TextDecoder only says "no").

/** Offset of the first byte that does not begin a well-formed UTF-8 sequence (a stray or cut-short one), or -1. */
export function findInvalidUtf8(b: Uint8Array): number {
	const n = b.length;
	let i = 0;
	while (i < n) {
		const c = b[i];
		if (c < 0x80) {
			i++;
			continue;
		}
		let need: number;
		let lo = 0x80;
		let hi = 0xbf;
		// The second byte's range excludes overlong forms, surrogates (ED A0..BF) and code points past U+10FFFF.
		if (c >= 0xc2 && c <= 0xdf) need = 1;
		else if (c >= 0xe0 && c <= 0xef) {
			need = 2;
			if (c === 0xe0) lo = 0xa0;
			if (c === 0xed) hi = 0x9f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			need = 3;
			if (c === 0xf0) lo = 0x90;
			if (c === 0xf4) hi = 0x8f;
		} else return i;
		for (let k = 1; k <= need; k++) {
			const x = i + k < n ? b[i + k] : -1;
			const [l, h] = k === 1 ? [lo, hi] : [0x80, 0xbf];
			if (x < l || x > h) return i;
		}
		i += need + 1;
	}
	return -1;
}

/** 1-based line of byte offset `at`. */
export function lineOfByte(b: Uint8Array, at: number): number {
	let line = 1;
	for (let i = 0; i < at && i < b.length; i++) if (b[i] === 0x0a) line++;
	return line;
}
