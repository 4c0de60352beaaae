// The POST /api/v1/events handler logic, free of SvelteKit so it can be tested without HTTP.
import type { RecordErrors } from '../../shared/events';
import type { Db } from '../db';
import { ingestEvents } from './ingest-events';
import { bodyEncodingOf, gunzipLimited } from './content-encoding';
import { bodyFormatOf, EVENT_CONTENT_TYPES, parseEventsBody } from './parse-body';
import { discardBody, readBodyLimited } from './read-body';

export interface EventsRequest {
	contentType: string | null;
	contentLength: string | null;
	/** Absent or identity, or gzip (decompressed under the same byte limit). */
	contentEncoding?: string | null;
	body: ReadableStream<Uint8Array> | null;
}

export type EventsResponse =
	| { status: 200; body: { accepted: number; duplicates: number } }
	| { status: 413 | 415; body: { message: string } }
	| { status: 400 | 422; body: RecordErrors };

export async function receiveEvents(
	db: Db,
	req: EventsRequest,
	opts: { maxBodyBytes: number; source: string; now?: Date }
): Promise<EventsResponse> {
	const format = bodyFormatOf(req.contentType);
	if (!format) {
		discardBody(req.body);
		return {
			status: 415,
			body: { message: `Content-Type must be one of ${Object.values(EVENT_CONTENT_TYPES).join(', ')}` }
		};
	}
	const encoding = bodyEncodingOf(req.contentEncoding ?? null);
	if (!encoding.ok) {
		discardBody(req.body);
		return { status: 415, body: { message: encoding.error } };
	}
	const tooLarge = {
		status: 413,
		body: { message: `request body is larger than ${opts.maxBodyBytes} bytes (CX_MAX_BODY_BYTES); send smaller batches` }
	} as const;
	const declared = req.contentLength === null ? undefined : Number(req.contentLength);
	// With gzip the limit holds twice: for the bytes sent and for what they expand to.
	const body = await readBodyLimited(req.body, opts.maxBodyBytes, declared);
	if (!body.ok) return tooLarge;
	let bytes = body.value;
	if (encoding.value === 'gzip') {
		const plain = await gunzipLimited(bytes, opts.maxBodyBytes);
		if (!plain.ok && plain.error === 'too-large') return tooLarge;
		if (!plain.ok) return { status: 400, body: { errors: [{ index: -1, field: 'body', message: `is not valid gzip data: ${plain.message}` }] } };
		bytes = plain.value;
	}
	const parsed = parseEventsBody(format, bytes);
	// A body that cannot be read at all (index -1) is a bad request; a bad NDJSON line names its record (422).
	if (!parsed.ok) return { status: parsed.errors.every((e) => e.index === -1) ? 400 : 422, body: errorsBody(parsed) };
	const r = await ingestEvents(db, parsed.value, { source: opts.source, now: opts.now });
	return r.ok ? { status: 200, body: r.value } : { status: 422, body: errorsBody(r) };
}

function errorsBody(r: RecordErrors): RecordErrors {
	return r.truncated ? { errors: r.errors, truncated: true } : { errors: r.errors };
}
