// Hand-written validation of DESIGN §3 events: one pass, no allocation per valid field, errors name
// the record index, the field and what is wrong in plain words.
import { CHANNELS, EVENT_FIELDS, EVENT_TYPES, RATING_RANGES, type Channel, type EventType, type RecordError, type RecordErrors, type StandardEventType } from '../../shared/events';
import { deriveEventId } from './event-id';
import { findJsonProblem, hasLoneSurrogate, quoteValue } from './inspect-json';
import {
	MAX_ATTRS_BYTES,
	MAX_ATTRS_DEPTH,
	MAX_ERRORS,
	MAX_FUTURE_MICROS,
	MAX_ID_LENGTH,
	MAX_TYPE_LENGTH,
	MIN_OCCURRED_AT,
	MIN_OCCURRED_MICROS
} from './limits';
import type { NormalizedEvent } from './normalized-event';
import { parseIsoMicros } from './timestamp';

const CHANNEL_SET = new Set<string>(CHANNELS);
const TYPE_SET = new Set<string>(EVENT_TYPES);
const CUSTOM_TYPE = /^x-[A-Za-z0-9][A-Za-z0-9_.:-]*$/;
const FIELDS = new Set<string>(EVENT_FIELDS);
const NOT_UNICODE = 'must be valid Unicode text (it holds a lone UTF-16 surrogate such as \\ud800)';
const TYPE_LIST = `${EVENT_TYPES.join(', ')}, or a custom type starting with "x-"`;

export interface ValidateOptions {
	source: string;
	/** The server's clock (tests pin it). */
	now?: Date;
	/** Index of the first record in the caller's numbering (NDJSON lines, chunks). */
	indexOffset?: number;
}

export type ValidateResult = { ok: true; value: NormalizedEvent[] } | ({ ok: false } & RecordErrors);

type Problem = [field: string, message: string];

function optionalId(v: unknown, field: string, problems: Problem[]): string | null {
	if (v === undefined || v === null) return null;
	if (typeof v !== 'string' || v.length === 0) problems.push([field, 'must be non-empty text when given']);
	else if (v.length > MAX_ID_LENGTH) problems.push([field, `must be at most ${MAX_ID_LENGTH} characters (got ${v.length})`]);
	else if (hasLoneSurrogate(v)) problems.push([field, NOT_UNICODE]);
	else return v;
	return null;
}

function occurredAt(v: unknown, nowUs: number, problems: Problem[]): number {
	let us: number | null = null;
	if (v instanceof Date) us = Number.isNaN(v.getTime()) ? null : v.getTime() * 1000;
	else if (typeof v === 'string') us = parseIsoMicros(v.trim());
	else if (v === undefined || v === null) {
		problems.push(['occurred_at', 'is required (an ISO-8601 timestamp such as 2024-05-01T12:30:00Z, or a date)']);
		return 0;
	}
	if (us === null && typeof v === 'string' && /^\s*\d{4}-\d{2}-\d{2}/.test(v) && v.trim() < MIN_OCCURRED_AT) us = MIN_OCCURRED_MICROS - 1;
	if (us === null) {
		problems.push(['occurred_at', `must be an ISO-8601 timestamp or date (e.g. 2024-05-01T12:30:00Z), got ${quoteValue(v)}`]);
		return 0;
	}
	if (us < MIN_OCCURRED_MICROS) {
		problems.push(['occurred_at', `must not be before ${MIN_OCCURRED_AT}, got ${v instanceof Date ? v.toISOString() : quoteValue(v)}`]);
		return 0;
	}
	if (us > nowUs + MAX_FUTURE_MICROS) {
		problems.push(['occurred_at', 'is more than 5 minutes in the future']);
	}
	return us;
}

function eventType(v: unknown, problems: Problem[]): EventType {
	if (typeof v === 'string' && (TYPE_SET.has(v) || (v.length <= MAX_TYPE_LENGTH && CUSTOM_TYPE.test(v)))) return v as EventType;
	if (v === undefined || v === null) problems.push(['type', `is required: one of ${TYPE_LIST}`]);
	else problems.push(['type', `must be one of ${TYPE_LIST} (at most ${MAX_TYPE_LENGTH} characters); got ${quoteValue(v)}`]);
	return 'visit';
}

function rating(v: unknown, type: EventType, problems: Problem[]): number | null {
	const range = RATING_RANGES[type as StandardEventType];
	if (v === undefined || v === null) {
		if (range) problems.push(['rating', `is required for ${type}: a whole number from ${range[0]} to ${range[1]}`]);
		return null;
	}
	if (typeof v !== 'number' || !Number.isInteger(v)) {
		problems.push(['rating', `must be a whole number${range ? ` from ${range[0]} to ${range[1]}` : ''}, got ${quoteValue(v)}`]);
		return null;
	}
	if (range && (v < range[0] || v > range[1])) {
		problems.push(['rating', `must be from ${range[0]} to ${range[1]} for ${type}, got ${v}`]);
		return null;
	}
	if (!range && Math.abs(v) > 2_147_483_647) {
		problems.push(['rating', `is out of range, got ${v}`]);
		return null;
	}
	return v;
}

function attrsOf(v: unknown, problems: Problem[]): { obj: Record<string, unknown> | null; text: string | null } {
	if (v === undefined || v === null) return { obj: null, text: null };
	if (typeof v !== 'object' || Array.isArray(v) || v instanceof Date) {
		problems.push(['attrs', 'must be a JSON object']);
		return { obj: null, text: null };
	}
	// Before JSON.stringify, which (like canonicalJson) recurses and would overflow on hostile nesting.
	const problem = findJsonProblem(v, MAX_ATTRS_DEPTH);
	if (problem) {
		problems.push(['attrs', problem === 'too-deep' ? `must not nest objects or arrays deeper than ${MAX_ATTRS_DEPTH} levels` : NOT_UNICODE]);
		return { obj: null, text: null };
	}
	let text: string;
	try {
		text = JSON.stringify(v);
	} catch {
		problems.push(['attrs', 'cannot be written as JSON']);
		return { obj: null, text: null };
	}
	if (Buffer.byteLength(text) > MAX_ATTRS_BYTES) {
		problems.push(['attrs', `must be at most ${MAX_ATTRS_BYTES} bytes of JSON (got ${Buffer.byteLength(text)})`]);
		return { obj: null, text: null };
	}
	return { obj: v as Record<string, unknown>, text };
}

/** An unknown field name as the error's `field`: cut short, so a huge or hostile key cannot bloat the answer. */
function quoteField(k: string): string {
	return k.length > 64 ? `${k.slice(0, 64)}…` : k;
}

/** Validates one record; pushes its problems and returns the normalized event (meaningless if problems were added). */
export function validateEvent(r: unknown, source: string, nowUs: number, problems: Problem[]): NormalizedEvent | null {
	if (r === null || typeof r !== 'object' || Array.isArray(r)) {
		problems.push(['record', 'must be a JSON object with at least customer_id, occurred_at and type']);
		return null;
	}
	const o = r as Record<string, unknown>;
	for (const k in o) {
		if (problems.length >= MAX_ERRORS) break;
		if (!FIELDS.has(k) && o[k] !== undefined) problems.push([quoteField(k), `is not an event field (put extra data in attrs); fields are ${[...FIELDS].join(', ')}`]);
	}
	const before = problems.length;
	let customer_id = '';
	const c = o.customer_id;
	if (c === undefined || c === null || c === '') problems.push(['customer_id', 'is required (non-empty text)']);
	else if (typeof c !== 'string') problems.push(['customer_id', `must be text, got ${typeof c}`]);
	else if (c.length > MAX_ID_LENGTH) problems.push(['customer_id', `must be at most ${MAX_ID_LENGTH} characters (got ${c.length})`]);
	else if (hasLoneSurrogate(c)) problems.push(['customer_id', NOT_UNICODE]);
	else customer_id = c;
	const occurred_us = occurredAt(o.occurred_at, nowUs, problems);
	let channel: Channel = 'other';
	const ch = o.channel;
	if (ch !== undefined && ch !== null) {
		if (typeof ch === 'string' && CHANNEL_SET.has(ch)) channel = ch as Channel;
		else problems.push(['channel', `must be one of ${CHANNELS.join(', ')}; got ${quoteValue(ch)}`]);
	}
	const type = eventType(o.type, problems);
	let value: number | null = null;
	const v = o.value;
	if (v !== undefined && v !== null) {
		if (typeof v === 'number' && Number.isFinite(v)) value = v;
		else problems.push(['value', `must be a finite number, got ${quoteValue(v)}`]);
	}
	const rt = rating(o.rating, type, problems);
	const ticket_id = optionalId(o.ticket_id, 'ticket_id', problems);
	const agent_id = optionalId(o.agent_id, 'agent_id', problems);
	const attrs = attrsOf(o.attrs, problems);
	const given = optionalId(o.event_id, 'event_id', problems);
	if (problems.length > before) return null;
	const e = { customer_id, occurred_us, channel, type, value, rating: rt, ticket_id, agent_id };
	return { ...e, event_id: given ?? deriveEventId(source, e, attrs.obj), attrs: attrs.text };
}

/** Validates a whole batch: every record, all fields; the first MAX_ERRORS problems are reported (`truncated` if there were more). */
export function validateEvents(records: readonly unknown[], opts: ValidateOptions): ValidateResult {
	const nowUs = (opts.now ?? new Date()).getTime() * 1000;
	const offset = opts.indexOffset ?? 0;
	const out: NormalizedEvent[] = new Array(records.length);
	const errors: RecordError[] = [];
	const problems: Problem[] = [];
	for (let i = 0; i < records.length; i++) {
		problems.length = 0;
		const e = validateEvent(records[i], opts.source, nowUs, problems);
		if (problems.length) {
			for (const [field, message] of problems) {
				if (errors.length === MAX_ERRORS) return { ok: false, errors, truncated: true };
				errors.push({ index: i + offset, field, message });
			}
		} else if (e) out[i] = e;
	}
	return errors.length ? { ok: false, errors } : { ok: true, value: out };
}
