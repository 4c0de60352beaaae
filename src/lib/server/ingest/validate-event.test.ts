import { describe, expect, it } from 'vitest';
import { anEvent, aSurvey } from '../../../../tests/fixtures/events';
import { validateEvents } from './validate-event';
import { parseIsoMicros } from './timestamp';

const NOW = new Date('2024-06-01T12:00:00Z');
const check = (records: unknown[]) => validateEvents(records, { source: 'test', now: NOW });

// [what, field, value, message fragment] — each value is invalid for that field.
const INVALID: [string, string, unknown, RegExp][] = [
	['missing customer', 'customer_id', undefined, /is required/],
	['empty customer', 'customer_id', '', /is required/],
	['numeric customer', 'customer_id', 17850, /must be text/],
	['long customer', 'customer_id', 'x'.repeat(201), /at most 200 characters/],
	['missing time', 'occurred_at', undefined, /is required/],
	['not a date', 'occurred_at', 'yesterday', /ISO-8601/],
	['impossible date', 'occurred_at', '2023-02-29', /ISO-8601/],
	['hour 24', 'occurred_at', '2024-01-01T24:00:00Z', /ISO-8601/],
	['epoch number', 'occurred_at', 1714564800000, /ISO-8601/],
	['far future', 'occurred_at', '2024-06-01T12:06:00Z', /more than 5 minutes in the future/],
	['unknown channel', 'channel', 'fax', /must be one of web, app/],
	['missing type', 'type', undefined, /is required/],
	['unknown type', 'type', 'buy', /must be one of signup/],
	['bare x-', 'type', 'x-', /custom type/],
	['string value', 'value', '12.5', /finite number/],
	['infinite value', 'value', Infinity, /finite number/],
	['fractional rating', 'rating', 4.5, /whole number/],
	['ticket number', 'ticket_id', 42, /non-empty text/],
	['empty agent', 'agent_id', '', /non-empty text/],
	['array attrs', 'attrs', [1, 2], /JSON object/],
	['huge attrs', 'attrs', { blob: 'x'.repeat(20_000) }, /at most 16384 bytes/],
	['empty event_id', 'event_id', '', /non-empty text/],
	['unknown field', 'customerId', 'c1', /not an event field/]
];

describe('validateEvents', () => {
	it.each(INVALID)('%s: reports field %s', (_what, field, value, message) => {
		const records = [anEvent().build(), anEvent().with(field, value).build()];
		const r = check(records);
		expect(r.ok).toBe(false);
		if (r.ok) return;
		expect(r.errors).toHaveLength(1);
		expect(r.errors[0]).toMatchObject({ index: 1, field });
		expect(r.errors[0].message).toMatch(message);
	});

	it.each([
		['survey_csat', 0],
		['survey_csat', 6],
		['survey_nps', 11],
		['survey_nps', -1],
		['survey_ces', 8]
	] as const)('%s rating %d is out of range', (type, rating) => {
		const r = check([aSurvey(type, rating).build()]);
		expect(r.ok || r.errors[0]).toMatchObject({ index: 0, field: 'rating', message: expect.stringMatching(/must be from/) });
	});

	it('requires a rating for survey types only', () => {
		const r = check([anEvent().withType('survey_nps').build(), anEvent().withType('purchase').build()]);
		expect(r.ok ? [] : r.errors).toEqual([{ index: 0, field: 'rating', message: expect.stringMatching(/required for survey_nps.*0 to 10/) }]);
	});

	it('reports several fields of one record and not a non-object', () => {
		const r = check([anEvent().with('channel', 'x').with('value', 'y').build(), 'nope']);
		expect(r.ok ? [] : r.errors.map((e) => [e.index, e.field])).toEqual([
			[0, 'channel'],
			[0, 'value'],
			[1, 'record']
		]);
	});

	it('stops at 100 errors and says when there were more', () => {
		const r = check(Array.from({ length: 300 }, () => anEvent().with('type', 'bad').build()));
		expect(r.ok ? null : [r.errors.length, r.truncated]).toEqual([100, true]);
		const exact = check(Array.from({ length: 100 }, () => anEvent().with('type', 'bad').build()));
		expect(exact.ok ? null : [exact.errors.length, exact.truncated]).toEqual([100, undefined]);
	});

	it('applies defaults and normalises time to UTC', () => {
		const r = check([
			anEvent().with('channel', undefined).at('2024-05-01').build(),
			anEvent().at('2024-05-01T14:00:00+02:00').build(),
			anEvent().at('2024-05-01 12:00:00').withType('x-trial.started').build(),
			anEvent().at(new Date('2024-06-01T12:04:59Z')).build()
		]);
		expect(r.ok).toBe(true);
		if (!r.ok) return;
		expect(r.value[0].channel).toBe('other');
		expect(r.value[0].occurred_us).toBe(Date.UTC(2024, 4, 1) * 1000);
		expect(r.value[1].occurred_us).toBe(Date.UTC(2024, 4, 1, 12) * 1000);
		expect(r.value[2].occurred_us).toBe(Date.UTC(2024, 4, 1, 12) * 1000);
		expect(r.value[2].type).toBe('x-trial.started');
	});

	it('derives the same id for the same content and source, different otherwise', () => {
		const a = anEvent().withoutId().withAttrs({ b: 1, a: [1, { y: 2, x: 1 }] }).build();
		const reordered = { ...a, attrs: { a: [1, { x: 1, y: 2 }], b: 1 } };
		const ids = (recs: unknown[], source = 's') => {
			const r = validateEvents(recs, { source, now: NOW });
			return r.ok ? r.value.map((e) => e.event_id) : [];
		};
		const [id] = ids([a]);
		expect(id).toMatch(/^[0-9a-f]{32}$/);
		expect(ids([reordered])).toEqual([id]);
		expect(ids([{ ...a, occurred_at: '2024-05-01T14:00:00+02:00' }])).toEqual([id]);
		expect(ids([a], 'other')).not.toEqual([id]);
		expect(ids([{ ...a, value: 1 }])).not.toEqual([id]);
	});

	it('keeps microseconds of fractional seconds', () => {
		expect(parseIsoMicros('2024-01-01T00:00:00.123456Z')).toBe(Date.UTC(2024, 0, 1) * 1000 + 123456);
		expect(parseIsoMicros('2024-01-01T00:00:00.1Z')).toBe(Date.UTC(2024, 0, 1) * 1000 + 100000);
	});
});
