// Validation of customer records for upserts (DESIGN §3 customers).
import type { RecordError } from '../../shared/events';
import { MAX_ATTRS_BYTES, MAX_ERRORS, MAX_ID_LENGTH } from '../ingest/limits';
import { parseIsoMicros } from '../ingest/timestamp';

/** A validated customer; null fields are "not given" and keep what is stored. */
export interface CustomerPatch {
	customer_id: string;
	name: string | null;
	segment: string | null;
	plan: string | null;
	region: string | null;
	signed_up_us: number | null;
	monthly_value: number | null;
	tolerance: number | null;
	attrs: string | null;
}

export const CUSTOMER_FIELDS = ['customer_id', 'name', 'segment', 'plan', 'region', 'signed_up_at', 'monthly_value', 'tolerance', 'attrs'];
const FIELD_SET = new Set(CUSTOMER_FIELDS);

type Problem = [string, string];

function text(o: Record<string, unknown>, k: string, problems: Problem[]): string | null {
	const v = o[k];
	if (v === undefined || v === null) return null;
	if (typeof v !== 'string' || v === '') problems.push([k, 'must be non-empty text when given']);
	else if (v.length > MAX_ID_LENGTH) problems.push([k, `must be at most ${MAX_ID_LENGTH} characters (got ${v.length})`]);
	else return v;
	return null;
}

function num(o: Record<string, unknown>, k: string, problems: Problem[]): number | null {
	const v = o[k];
	if (v === undefined || v === null) return null;
	if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) problems.push([k, `must be a finite number ≥ 0, got ${JSON.stringify(v)}`]);
	else return v;
	return null;
}

function validateCustomer(r: unknown, problems: Problem[]): CustomerPatch | null {
	if (r === null || typeof r !== 'object' || Array.isArray(r)) {
		problems.push(['record', 'must be a JSON object with at least customer_id']);
		return null;
	}
	const o = r as Record<string, unknown>;
	for (const k in o) if (!FIELD_SET.has(k) && o[k] !== undefined) problems.push([k, `is not a customer field; fields are ${CUSTOMER_FIELDS.join(', ')}`]);
	const customer_id = text(o, 'customer_id', problems);
	if (customer_id === null && (o.customer_id === undefined || o.customer_id === null)) problems.push(['customer_id', 'is required (non-empty text)']);
	let signed_up_us: number | null = null;
	const s = o.signed_up_at;
	if (s instanceof Date && !Number.isNaN(s.getTime())) signed_up_us = s.getTime() * 1000;
	else if (typeof s === 'string' && parseIsoMicros(s.trim()) !== null) signed_up_us = parseIsoMicros(s.trim());
	else if (s !== undefined && s !== null) problems.push(['signed_up_at', `must be an ISO-8601 timestamp or date, got ${JSON.stringify(s)}`]);
	let attrs: string | null = null;
	const a = o.attrs;
	if (a !== undefined && a !== null) {
		if (typeof a !== 'object' || Array.isArray(a)) problems.push(['attrs', 'must be a JSON object']);
		else {
			attrs = JSON.stringify(a);
			if (Buffer.byteLength(attrs) > MAX_ATTRS_BYTES) problems.push(['attrs', `must be at most ${MAX_ATTRS_BYTES} bytes of JSON`]);
		}
	}
	const patch: CustomerPatch = {
		customer_id: customer_id ?? '',
		name: text(o, 'name', problems),
		segment: text(o, 'segment', problems),
		plan: text(o, 'plan', problems),
		region: text(o, 'region', problems),
		signed_up_us,
		monthly_value: num(o, 'monthly_value', problems),
		tolerance: num(o, 'tolerance', problems),
		attrs
	};
	return problems.length ? null : patch;
}

export function validateCustomers(
	records: readonly unknown[]
): { ok: true; value: CustomerPatch[] } | { ok: false; errors: RecordError[] } {
	const out: CustomerPatch[] = [];
	const errors: RecordError[] = [];
	const problems: Problem[] = [];
	for (let i = 0; i < records.length && errors.length < MAX_ERRORS; i++) {
		problems.length = 0;
		const c = validateCustomer(records[i], problems);
		for (const [field, message] of problems) if (errors.length < MAX_ERRORS) errors.push({ index: i, field, message });
		if (c) out.push(c);
	}
	return errors.length ? { ok: false, errors } : { ok: true, value: out };
}
