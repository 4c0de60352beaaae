// Turns an events request body (JSON array, NDJSON or Arrow IPC stream) into plain records.
// Malformed bodies are reported like record errors; index -1 means the body as a whole.
import { tableFromIPC, Type, type Table } from 'apache-arrow';
import type { RecordError, RecordErrors } from '../../shared/events';
import { findInvalidUtf8, lineOfByte } from './find-invalid-utf8';
import { mediaType } from '../api/media-type';
import { MAX_ERRORS } from './limits';

export const EVENT_CONTENT_TYPES = {
	json: 'application/json',
	ndjson: 'application/x-ndjson',
	arrow: 'application/vnd.apache.arrow.stream'
} as const;
export type BodyFormat = keyof typeof EVENT_CONTENT_TYPES;

export type ParseResult = { ok: true; value: unknown[] } | ({ ok: false } & RecordErrors);

/** The body format for a Content-Type header, or null (→ 415). */
export function bodyFormatOf(contentType: string | null): BodyFormat | null {
	const media = mediaType(contentType);
	if (media === 'application/json') return 'json';
	if (media === 'application/x-ndjson' || media === 'application/ndjson' || media === 'application/jsonl') return 'ndjson';
	if (media === 'application/vnd.apache.arrow.stream') return 'arrow';
	return null;
}

function lineColumn(text: string, pos: number): string {
	let line = 1;
	let last = -1;
	for (let i = 0; i < pos && i < text.length; i++) {
		if (text.charCodeAt(i) === 10) {
			line++;
			last = i;
		}
	}
	return `line ${line}, column ${pos - last}`;
}

function jsonMessage(e: unknown): string {
	return e instanceof Error ? e.message : String(e);
}

export function parseJsonArray(text: string): ParseResult {
	let v: unknown;
	try {
		v = JSON.parse(text);
	} catch (e) {
		const m = /position (\d+)/.exec(jsonMessage(e));
		const where = m ? ` at ${lineColumn(text, Number(m[1]))}` : '';
		return { ok: false, errors: [{ index: -1, field: 'body', message: `malformed JSON${where}: ${jsonMessage(e)}` }] };
	}
	if (!Array.isArray(v)) {
		return { ok: false, errors: [{ index: -1, field: 'body', message: 'must be a JSON array of events (or send NDJSON)' }] };
	}
	return { ok: true, value: v };
}

/** One JSON object per line; blank lines are skipped; index counts records, the message names the line. */
export function parseNdjson(text: string): ParseResult {
	const lines = text.split('\n');
	const kept: string[] = [];
	const lineNo: number[] = [];
	for (let i = 0; i < lines.length; i++) {
		const l = lines[i];
		if (l.length === 0 || l.trim().length === 0) continue;
		kept.push(l);
		lineNo.push(i + 1);
	}
	// Fast path: one parse of the whole batch; only a failure pays for the line-by-line search.
	try {
		const v = JSON.parse(`[${kept.join(',')}]`) as unknown[];
		if (v.length === kept.length) return { ok: true, value: v };
	} catch {
		/* find the bad line below */
	}
	const out: unknown[] = [];
	const errors: RecordError[] = [];
	for (let i = 0; i < kept.length; i++) {
		try {
			out.push(JSON.parse(kept[i]));
		} catch (e) {
			if (errors.length === MAX_ERRORS) return { ok: false, errors, truncated: true };
			errors.push({ index: i, field: 'body', message: `line ${lineNo[i]}: malformed JSON: ${jsonMessage(e)}` });
		}
	}
	return errors.length ? { ok: false, errors } : { ok: true, value: out };
}

/** Arrow column values as the JSON API would carry them: timestamps/dates → Date, int64 → number, structs → objects. */
function columnReader(table: Table, i: number): (row: number) => unknown {
	const field = table.schema.fields[i];
	const col = table.getChildAt(i)!;
	const t = field.type.typeId;
	if (t === Type.Timestamp || t === Type.Date) {
		return (r) => {
			const v = col.get(r) as number | bigint | Date | null;
			if (v === null || v === undefined) return null;
			return v instanceof Date ? v : new Date(Number(v));
		};
	}
	if (t === Type.Int && (field.type as { bitWidth?: number }).bitWidth === 64) {
		return (r) => {
			const v = col.get(r) as bigint | null;
			return v === null || v === undefined ? null : Number(v);
		};
	}
	if (t === Type.Struct || t === Type.Map) {
		return (r) => {
			const v = col.get(r) as { toJSON(): unknown } | null;
			return v === null || v === undefined ? null : v.toJSON();
		};
	}
	if (field.name === 'attrs' && (t === Type.Utf8 || t === Type.LargeUtf8)) {
		// attrs may travel as JSON text; anything that does not parse is left for validation to reject.
		return (r) => {
			const v = col.get(r) as string | null;
			if (v === null || v === undefined) return null;
			try {
				return JSON.parse(v) as unknown;
			} catch {
				return v;
			}
		};
	}
	return (r) => {
		const v = col.get(r) as unknown;
		return v === undefined ? null : v;
	};
}

const bodyError = (message: string): ParseResult => ({ ok: false, errors: [{ index: -1, field: 'body', message }] });

/**
 * The stream's last 8 bytes must be the end-of-stream marker: without it a body cut right after a record
 * batch reads as a shorter valid stream, and part of the client's batch would be stored as if it were all.
 * Arrow writers (JS, pyarrow, arrow-rs, Go) write it when the stream writer is closed.
 */
function endsWithEos(b: Uint8Array): boolean {
	const n = b.length;
	return n >= 8 && b[n - 8] === 0xff && b[n - 7] === 0xff && b[n - 6] === 0xff && b[n - 5] === 0xff && b[n - 4] === 0 && b[n - 3] === 0 && b[n - 2] === 0 && b[n - 1] === 0;
}

export function parseArrowStream(bytes: Uint8Array): ParseResult {
	let table: Table;
	try {
		table = tableFromIPC(bytes);
	} catch (e) {
		return bodyError(`malformed Arrow IPC stream: ${jsonMessage(e)}`);
	}
	if (table.schema.fields.length === 0) return bodyError('Arrow IPC stream has no schema message (empty or cut short)');
	if (!endsWithEos(bytes)) {
		return bodyError('Arrow IPC stream is cut short: it does not end with the end-of-stream marker (close the stream writer before sending)');
	}
	const names = table.schema.fields.map((f) => f.name);
	const readers = names.map((_, i) => columnReader(table, i));
	const out: unknown[] = new Array(table.numRows);
	for (let r = 0; r < table.numRows; r++) {
		const o: Record<string, unknown> = {};
		for (let c = 0; c < names.length; c++) {
			const v = readers[c](r);
			if (v !== null) o[names[c]] = v;
		}
		out[r] = o;
	}
	return { ok: true, value: out };
}

/** Nothing but JSON whitespace (or nothing at all). */
function isBlank(b: Uint8Array): boolean {
	for (let i = 0; i < b.length; i++) {
		const c = b[i];
		if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return false;
	}
	return true;
}

export function parseEventsBody(format: BodyFormat, bytes: Uint8Array): ParseResult {
	if (isBlank(bytes)) return bodyError(`is empty: send ${format === 'arrow' ? 'an Arrow IPC stream' : format === 'json' ? 'a JSON array' : 'NDJSON lines'} of events`);
	if (format === 'arrow') return parseArrowStream(bytes);
	let text: string;
	try {
		text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
	} catch {
		const at = findInvalidUtf8(bytes);
		return bodyError(`is not valid UTF-8 text${at < 0 ? '' : ` (byte ${at}, line ${lineOfByte(bytes, at)})`}`);
	}
	return format === 'json' ? parseJsonArray(text) : parseNdjson(text);
}
