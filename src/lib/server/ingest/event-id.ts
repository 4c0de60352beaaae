// Deterministic ids for events sent without one: the same record from the same source always maps to
// the same id, so re-sending or re-importing it is recognised as a duplicate.
import { createHash } from 'node:crypto';
import { microsToIso } from './timestamp';
import type { NormalizedEvent } from './normalized-event';

/** JSON with object keys sorted at every level, so equal objects give equal text. */
export function canonicalJson(v: unknown): string {
	if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
	if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
	const o = v as Record<string, unknown>;
	const keys = Object.keys(o)
		.filter((k) => o[k] !== undefined)
		.sort();
	return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',')}}`;
}

/** 32 hex characters (128 bits) of SHA-256 over the source and every field but event_id. */
export function deriveEventId(
	source: string,
	e: Omit<NormalizedEvent, 'event_id' | 'attrs'>,
	attrs: Record<string, unknown> | null
): string {
	const text = canonicalJson([
		source,
		e.customer_id,
		microsToIso(e.occurred_us),
		e.channel,
		e.type,
		e.value,
		e.rating,
		e.ticket_id,
		e.agent_id,
		attrs
	]);
	return createHash('sha256').update(text).digest('hex').slice(0, 32);
}
