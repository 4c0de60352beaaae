// Checks an NDJSON file in plain JS before and after DuckDB reads it: DuckDB's JSON reader crashes the
// whole process (SIGSEGV) on very deep nesting, and its line numbers for malformed JSON are off by one.
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { findInvalidUtf8 } from '../find-invalid-utf8';
import { findJsonProblem } from '../inspect-json';
import { MAX_ATTRS_DEPTH } from '../limits';

export type ScanResult = { ok: true } | { ok: false; line: number; message: string };

/**
 * Deeper lines refuse the whole file: far below where DuckDB's reader crashed (between 60,000 and 100,000
 * levels here), far above what attrs may hold (MAX_ATTRS_DEPTH, checked per row after reading).
 */
export const MAX_LINE_DEPTH = 1000;

function open(file: string): Readable | null {
	const f = file.toLowerCase();
	if (f.endsWith('.zst')) return null;
	const raw = createReadStream(file);
	return f.endsWith('.gz') ? raw.pipe(createGunzip()) : raw;
}

/**
 * The first line nesting objects/arrays deeper than MAX_LINE_DEPTH. A byte scan (brackets outside
 * strings), about as fast as reading the file; zstd files are not scanned.
 */
export async function scanNdjsonDepth(file: string): Promise<ScanResult> {
	// A read or decompression error is DuckDB's to report (or checkGzip's, which runs first).
	return scanDepth(file).catch((): ScanResult => ({ ok: true }));
}

async function scanDepth(file: string): Promise<ScanResult> {
	const input = open(file);
	if (!input) return { ok: true };
	let line = 1;
	let depth = 0;
	let inString = false;
	let escaped = false;
	for await (const chunk of input as AsyncIterable<Buffer>) {
		for (let i = 0; i < chunk.length; i++) {
			const c = chunk[i];
			if (inString) {
				if (escaped) escaped = false;
				else if (c === 0x5c) escaped = true;
				else if (c === 0x22) inString = false;
				else if (c === 0x0a) {
					// A newline inside a string is malformed JSON; DuckDB reports that. Resync at the line.
					inString = false;
					line++;
					depth = 0;
				}
			} else if (c === 0x22) inString = true;
			else if (c === 0x7b || c === 0x5b) {
				if (++depth > MAX_LINE_DEPTH) {
					input.destroy();
					return { ok: false, line, message: `JSON nests objects or arrays deeper than ${MAX_LINE_DEPTH} levels (attrs may nest at most ${MAX_ATTRS_DEPTH})` };
				}
			} else if (c === 0x7d || c === 0x5d) depth--;
			else if (c === 0x0a) {
				line++;
				depth = 0;
			}
		}
	}
	return { ok: true };
}

function checkLine(bytes: Uint8Array, line: number): ScanResult {
	if (line === 1 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
		return { ok: false, line, message: 'starts with a byte order mark (BOM), which the NDJSON reader refuses; save the file as UTF-8 without BOM' };
	}
	const bad = findInvalidUtf8(bytes);
	if (bad >= 0) return { ok: false, line, message: `is not valid UTF-8 (byte ${bad} of the line)` };
	const text = new TextDecoder().decode(bytes);
	if (text.trim() === '') return { ok: true };
	let v: unknown;
	try {
		v = JSON.parse(text);
	} catch (e) {
		return { ok: false, line, message: `malformed JSON: ${e instanceof Error ? e.message : String(e)}` };
	}
	if (v === null || typeof v !== 'object' || Array.isArray(v)) return { ok: false, line, message: 'must be a JSON object (one event per line)' };
	if (findJsonProblem(v, MAX_LINE_DEPTH) === 'lone-surrogate') {
		return { ok: false, line, message: 'holds text that is not valid Unicode (a lone UTF-16 surrogate escape such as \\ud800)' };
	}
	return { ok: true };
}

/**
 * The first line that is not valid UTF-8, not a JSON object, or holds a lone surrogate escape: run only
 * after DuckDB refused the file, to name the line exactly.
 */
export async function findBadNdjsonLine(file: string): Promise<ScanResult> {
	return findBadLine(file).catch((): ScanResult => ({ ok: true }));
}

async function findBadLine(file: string): Promise<ScanResult> {
	const input = open(file);
	if (!input) return { ok: true };
	let line = 1;
	let pending: Buffer[] = [];
	try {
		for await (const chunk of input as AsyncIterable<Buffer>) {
			let from = 0;
			for (let nl = chunk.indexOf(0x0a); nl >= 0; nl = chunk.indexOf(0x0a, from)) {
				pending.push(chunk.subarray(from, nl));
				const r = checkLine(Buffer.concat(pending), line);
				if (!r.ok) return r;
				pending = [];
				line++;
				from = nl + 1;
			}
			if (from < chunk.length) pending.push(chunk.subarray(from));
		}
		return pending.length ? checkLine(Buffer.concat(pending), line) : { ok: true };
	} finally {
		input.destroy();
	}
}
