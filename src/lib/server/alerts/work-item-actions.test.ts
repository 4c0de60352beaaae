// Snooze and resolve bodies: the 90-day snooze limit the work list's dialog already has, unknown keys
// refused by name as the alert configuration endpoints do, and messages that say what is wrong.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDb, type TempDb } from '../../../../tests/helpers/temp-db';
import { respond } from './http-respond';
import {
	claimBodyRefusal,
	MAX_SNOOZE_DAYS,
	claimWorkItem,
	parseResolveBody,
	parseSnoozeBody,
	resolveWorkItem,
	snoozeWorkItem
} from './work-item-actions';
import { openWorkItems } from './work-items';

const NOW = Date.parse('2026-03-01T12:00:00Z');
const HOUR = 3600_000;
const DAY = 24 * HOUR;
const ann = { name: 'ann', admin: false };
const iso = (ms: number) => new Date(ms).toISOString();

describe('parseSnoozeBody', () => {
	it('takes a date-time up to 90 days (2,160 hours, the dialog maximum) ahead', () => {
		expect(MAX_SNOOZE_DAYS).toBe(90);
		expect(parseSnoozeBody({ until: iso(NOW + 2160 * HOUR) }, NOW)).toEqual({
			ok: true,
			value: { until: NOW + 2160 * HOUR }
		});
		expect(parseSnoozeBody({ until: iso(NOW + HOUR) }, NOW).ok).toBe(true);
	});

	it('refuses a date beyond 90 days, naming the field and the limit', () => {
		for (const until of [NOW + 90 * DAY + 1000, NOW + 3 * 365 * DAY]) {
			expect(parseSnoozeBody({ until: iso(until) }, NOW)).toEqual({
				ok: false,
				errors: [{ field: 'until', message: 'until must be at most 90 days (2160 hours) from now' }]
			});
		}
	});

	it('refuses a missing, unreadable or past date, an unknown key and a body that is not an object', () => {
		expect(parseSnoozeBody(null, NOW)).toMatchObject({ ok: false, errors: [{ field: 'until' }] });
		expect(parseSnoozeBody({ until: 'tomorrow' }, NOW)).toMatchObject({
			ok: false,
			errors: [{ field: 'until', message: 'until must be an ISO-8601 date-time' }]
		});
		expect(parseSnoozeBody({ until: iso(NOW - 1) }, NOW)).toMatchObject({
			ok: false,
			errors: [{ field: 'until', message: 'until must be in the future' }]
		});
		expect(parseSnoozeBody({ until: iso(NOW + HOUR), hours: 1 }, NOW)).toEqual({
			ok: false,
			errors: [{ field: 'hours', message: 'unknown key "hours"; this request takes until' }]
		});
		expect(parseSnoozeBody([], NOW)).toEqual({
			ok: false,
			errors: [{ field: '(body)', message: 'the body must be a JSON object' }]
		});
	});
});

describe('claimBodyRefusal', () => {
	it('takes no body or {}, and refuses keys by name with a 422', async () => {
		expect(claimBodyRefusal(null)).toBeNull();
		expect(claimBodyRefusal({})).toBeNull();
		const r = claimBodyRefusal({ bogus: 1 });
		expect(r && !r.ok && r.error.status).toBe(422);
		const res = respond(r!);
		expect(res.status).toBe(422);
		expect(((await res.json()) as { error: string }).error).toBe('unknown key "bogus"; a claim takes no body');
	});
});

describe('parseResolveBody', () => {
	it('takes outcome, root cause and note; blank texts become null', () => {
		expect(parseResolveBody({ outcome: 'retained', root_cause: ' billing ', note: '' })).toEqual({
			ok: true,
			value: { outcome: 'retained', rootCause: 'billing', note: null }
		});
		expect(parseResolveBody({ outcome: 'churned', root_cause: null })).toEqual({
			ok: true,
			value: { outcome: 'churned', rootCause: null, note: null }
		});
	});

	it('refuses a resolve without an outcome, naming it: outcomes are the labels, none is assumed', () => {
		const refused = {
			ok: false,
			errors: [{ field: 'outcome', message: 'outcome must be one of retained, churned, no_action, false_alarm' }]
		};
		for (const body of [{}, { outcome: null }, { outcome: '' }, { root_cause: 'x', note: 'y' }, null])
			expect(parseResolveBody(body)).toEqual(refused);
	});

	it('refuses unknown keys by name, as the other endpoints do', () => {
		expect(parseResolveBody({ outcome: 'retained', foo: 1 })).toEqual({
			ok: false,
			errors: [{ field: 'foo', message: 'unknown key "foo"; this request takes outcome, root_cause, note' }]
		});
	});

	it('says "must be text" for a non-string and gives the length limit only for a long text', () => {
		expect(parseResolveBody({ outcome: 'retained', note: 12345 })).toEqual({
			ok: false,
			errors: [{ field: 'note', message: 'note must be text' }]
		});
		expect(parseResolveBody({ outcome: 'retained', root_cause: ['a'] })).toEqual({
			ok: false,
			errors: [{ field: 'root_cause', message: 'root_cause must be text' }]
		});
		expect(parseResolveBody({ outcome: 'retained', note: 'x'.repeat(4001) })).toEqual({
			ok: false,
			errors: [{ field: 'note', message: 'note must be text of at most 4000 characters' }]
		});
		expect(parseResolveBody({ outcome: 'kept' })).toMatchObject({
			ok: false,
			errors: [{ field: 'outcome' }]
		});
	});
});

describe('snooze and resolve against the database', () => {
	let t: TempDb;
	let id: string;
	beforeEach(async () => {
		t = await tempDb();
		const [item] = await t.db.write((conn) =>
			openWorkItems(
				conn,
				[
					{
						rule_id: 'tolerance',
						customer_id: 'c-1',
						reason: 'tolerance',
						detail: {},
						probability: null,
						monthly_value: 100
					}
				],
				NOW
			)
		);
		id = item.id;
		expect((await claimWorkItem(t.db, id, ann, NOW)).ok).toBe(true);
	});
	afterEach(async () => t.cleanup());

	it('answers 422 {error, errors:[{field, message}]} and changes nothing', async () => {
		const far = await snoozeWorkItem(t.db, id, ann, { until: iso(NOW + 3 * 365 * DAY) }, NOW + 1);
		const farBody = await respond(far).json();
		expect([respond(far).status, farBody]).toEqual([
			422,
			{
				error: 'until must be at most 90 days (2160 hours) from now',
				errors: [{ field: 'until', message: 'until must be at most 90 days (2160 hours) from now' }]
			}
		]);
		const extra = await resolveWorkItem(t.db, id, ann, { outcome: 'retained', foo: 1 }, NOW + 1);
		expect(extra).toMatchObject({ ok: false, error: { status: 422, field: 'foo' } });
		const note = await resolveWorkItem(t.db, id, ann, { outcome: 'retained', note: 12345 }, NOW + 1);
		expect(note).toMatchObject({
			ok: false,
			error: { status: 422, field: 'note', error: 'note must be text' }
		});
		// Nothing changed: the item is still claimed, and a valid body still works.
		const ok = await snoozeWorkItem(t.db, id, ann, { until: iso(NOW + 2160 * HOUR) }, NOW + 1);
		expect(ok).toMatchObject({ ok: true, value: { state: 'snoozed', assignee: 'ann' } });
		const done = await resolveWorkItem(t.db, id, ann, { outcome: 'retained', note: 'called' }, NOW + 2);
		expect(done).toMatchObject({ ok: true, value: { state: 'resolved', note: 'called' } });
	});

	it('several problems are all named in the message; the field is the first', async () => {
		const r = await resolveWorkItem(t.db, id, ann, { outcome: 'kept', foo: 1 }, NOW + 1);
		expect(r).toMatchObject({ ok: false, error: { status: 422, field: 'outcome' } });
		expect(!r.ok && r.error.error).toMatch(/^outcome must be one of .*; unknown key "foo"/);
	});

	it('an unknown item is a 404 whatever the body', async () => {
		const r = await snoozeWorkItem(t.db, 'no-such-item', ann, { until: '2099-01-01T00:00:00Z' }, NOW);
		expect(r).toMatchObject({ ok: false, error: { status: 404 } });
		expect(await resolveWorkItem(t.db, 'no-such-item', ann, { foo: 1 }, NOW)).toMatchObject({
			ok: false,
			error: { status: 404 }
		});
	});
});
