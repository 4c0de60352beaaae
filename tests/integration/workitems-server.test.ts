// The work-item API against the real server: events in through POST /api/v1/events, an item out of
// the alert loop, roles enforced, two concurrent claims with exactly one winner, and notes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/lib/server/auth/api-keys';
import { getDb, shutdownDb } from '../../src/lib/server/db';
import { anEvent } from '../fixtures/events';
import { startServer, type TestServer } from '../helpers/server';

const SCOPES = {
	ingest: 'ingest',
	ann: 'retention',
	bob: 'retention',
	exec: 'executive',
	analyst: 'analyst',
	admin: 'admin'
} as const;
type Who = keyof typeof SCOPES;
let server: TestServer;
let dir: string;
const keys = {} as Record<Who, string>;

async function call(
	who: Who,
	method: string,
	path: string,
	body?: unknown
): Promise<{ status: number; data: Record<string, unknown> }> {
	const r = await fetch(`${server.url}${path}`, {
		method,
		headers: {
			authorization: `Bearer ${keys[who]}`,
			...(body === undefined ? {} : { 'content-type': 'application/json' })
		},
		body: body === undefined ? undefined : JSON.stringify(body)
	});
	const text = await r.text();
	return { status: r.status, data: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

async function waitForItems(min: number, timeoutMs = 20_000): Promise<Record<string, unknown>[]> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const r = await call('analyst', 'GET', '/api/v1/workitems');
		const items = (r.data.items ?? []) as Record<string, unknown>[];
		if (items.length >= min) return items;
		if (Date.now() > deadline)
			throw new Error(`only ${items.length} work items after ${timeoutMs} ms:\n${server.output()}`);
		await new Promise((res) => setTimeout(res, 250));
	}
}

beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'cx-wi-'));
	const dbPath = join(dir, 'cx.duckdb');
	const db = await getDb(dbPath);
	try {
		for (const [name, scope] of Object.entries(SCOPES)) {
			const k = await createApiKey(db, { name, scope, createdBy: 'test' });
			if (!k.ok) throw new Error(k.error);
			keys[name as Who] = k.value.token;
		}
	} finally {
		await shutdownDb(dbPath);
	}
	server = await startServer({ dir, env: { CX_TICK_MS: '200' } });
	const now = Date.now();
	const unhappy = (c: string) => [
		anEvent()
			.withCustomer(c)
			.withType('complaint')
			.at(new Date(now - 3600_000))
			.build(),
		anEvent()
			.withCustomer(c)
			.withType('complaint')
			.at(new Date(now - 3000_000))
			.build(),
		anEvent()
			.withCustomer(c)
			.withType('survey_csat')
			.withRating(1)
			.at(new Date(now - 2000_000))
			.build(),
		anEvent()
			.withCustomer(c)
			.withType('survey_nps')
			.withRating(0)
			.at(new Date(now - 1000_000))
			.build()
	];
	const r = await call('ingest', 'POST', '/api/v1/events', [
		...unhappy('c-1'),
		...unhappy('c-2'),
		anEvent()
			.withCustomer('c-3')
			.withType('praise')
			.at(new Date(now - 1000))
			.build()
	]);
	expect(r.status).toBe(200);
}, 120_000);

afterAll(async () => {
	await server?.stop({ keepDir: true });
	rmSync(dir, { recursive: true, force: true });
});

describe('work items over HTTP', () => {
	it('events ingested through the API open one item per unhappy customer', async () => {
		const items = await waitForItems(2);
		expect(items.map((i) => i.customer_id).sort()).toEqual(['c-1', 'c-2']);
		expect(items[0]).toMatchObject({ state: 'open', reason: 'tolerance', assignee: null });
		expect(typeof items[0].priority).toBe('number');
		// The debt now, as the customer's 360 gives it (rounded there to 0.01 pts, here to 0.1), beside the
		// debt the item opened with (detail.debt, kept).
		for (const item of items) {
			const c = await call('ann', 'GET', `/api/v1/customers/${String(item.customer_id)}`);
			const debt = c.data.debt as { current: number; limit: number };
			expect(Math.abs((item.debt_now as number) - debt.current)).toBeLessThanOrEqual(0.055);
			expect(item.limit_now).toBe(debt.limit);
			expect(item.detail).toMatchObject({ debt: expect.any(Number), limit: debt.limit });
		}
	});

	it('filters are validated', async () => {
		expect((await call('analyst', 'GET', '/api/v1/workitems?state=nope')).status).toBe(400);
		expect((await call('analyst', 'GET', '/api/v1/workitems?sort=id;drop')).status).toBe(400);
		const r = await call('analyst', 'GET', '/api/v1/workitems?state=open&reason=tolerance&sort=-priority');
		expect((r.data.items as unknown[]).length).toBe(2);
		// A misspelt filter would otherwise list everything.
		const typo = await call('analyst', 'GET', '/api/v1/workitems?stat=open');
		expect(typo.status).toBe(400);
		expect(typo.data.errors).toEqual([{ field: 'stat', message: expect.stringContaining('unknown parameter') }]);
		const [first] = r.data.items as { id: string }[];
		const one = await call('analyst', 'GET', `/api/v1/workitems/${first.id}`);
		expect(one.data).toMatchObject({ item: { id: first.id, state: 'open' }, transitions: [{ from: null, to: 'open' }] });
		expect((await call('analyst', 'GET', '/api/v1/workitems/no-such-item')).status).toBe(404);
		const page = await call('analyst', 'GET', '/api/v1/workitems?limit=1&offset=1');
		expect(page.data).toMatchObject({ total: 2, offset: 1, limit: 1 });
		expect((page.data.items as unknown[]).length).toBe(1);
	});

	it('an executive key may not read items (they carry customer data); analyst reads but does not change them', async () => {
		const [item] = await waitForItems(2);
		const refused = { status: 403, data: { error: "this API key's scope (executive) does not allow this" } };
		expect(await call('exec', 'GET', '/api/v1/workitems')).toEqual(refused);
		expect(await call('exec', 'GET', `/api/v1/workitems/${String(item.id)}`)).toEqual(refused);
		expect(await call('exec', 'GET', '/api/v1/workitems/no-such-item')).toEqual(refused);
		for (const who of ['exec', 'analyst'] as const) {
			expect((await call(who, 'POST', `/api/v1/workitems/${item.id}/claim`)).status).toBe(403);
			expect(
				(await call(who, 'POST', `/api/v1/workitems/${item.id}/resolve`, { outcome: 'retained' })).status
			).toBe(403);
		}
		expect((await call('ingest', 'GET', '/api/v1/workitems')).status).toBe(403);
	});

	it('GET /api/v1/workitems?id= re-reads named rows with the list\'s debt now; refused anonymously, to executives', async () => {
		const whole = await waitForItems(2);
		const ids = whole.map((i) => String(i.id));
		const r = await call('ann', 'GET', `/api/v1/workitems?id=${ids[1]},${ids[0]},no-such-item`);
		expect(r.status).toBe(200);
		const got = r.data.items as Record<string, unknown>[];
		expect(got.map((i) => i.id).sort()).toEqual([...ids].sort());
		expect(r.data.total).toBe(2);
		for (const i of got) {
			const w = whole.find((x) => x.id === i.id)!;
			expect(i.reason).toBe('tolerance');
			// Read a moment after the whole list: decayed by no more than its rounding step.
			expect(Math.abs((i.debt_now as number) - (w.debt_now as number))).toBeLessThanOrEqual(0.1);
			expect(i.limit_now).toBe(w.limit_now);
		}
		const one = await call('analyst', 'GET', `/api/v1/workitems?id=${ids[0]}`);
		expect((one.data.items as { id: string }[]).map((i) => i.id)).toEqual([ids[0]]);
		const tooMany = Array.from({ length: 201 }, (_, i) => `w${i}`).join(',');
		const bad = await call('analyst', 'GET', `/api/v1/workitems?id=${tooMany}`);
		expect(bad.status).toBe(400);
		expect(bad.data.errors).toEqual([{ field: 'id', message: expect.stringContaining('id must list 1 to 200') }]);
		expect((await fetch(`${server.url}/api/v1/workitems?id=${ids[0]}`)).status).toBe(401);
		expect((await call('exec', 'GET', `/api/v1/workitems?id=${ids[0]}`)).status).toBe(403);
		expect((await call('ingest', 'GET', `/api/v1/workitems?id=${ids[0]}`)).status).toBe(403);
	});

	it('retention cannot edit rules; analyst can', async () => {
		const rule = {
			name: 'NPS low',
			definition: { kind: 'metric', metric: 'nps', comparator: '<', threshold: 0 }
		};
		expect((await call('ann', 'POST', '/api/v1/alerts/rules', rule)).status).toBe(403);
		const created = await call('analyst', 'POST', '/api/v1/alerts/rules', rule);
		expect(created.status).toBe(201);
		const id = (created.data.rule as { id: string }).id;
		expect((await call('ann', 'DELETE', `/api/v1/alerts/rules/${id}`)).status).toBe(403);
		expect((await call('analyst', 'DELETE', `/api/v1/alerts/rules/${id}`)).status).toBe(204);
		expect(
			(
				await call('analyst', 'POST', '/api/v1/alerts/rules', {
					name: 'x',
					definition: { kind: 'metric', metric: 'nope', comparator: '<', threshold: 1 }
				})
			).status
		).toBe(422);
	});

	it('two concurrent claims: exactly one wins, the other gets 409 with the holder', async () => {
		const items = await waitForItems(2);
		const item = items.find((i) => i.customer_id === 'c-1')!;
		const [a, b] = await Promise.all([
			call('ann', 'POST', `/api/v1/workitems/${item.id}/claim`),
			call('bob', 'POST', `/api/v1/workitems/${item.id}/claim`)
		]);
		const statuses = [a.status, b.status].sort();
		expect(statuses).toEqual([200, 409]);
		const win = a.status === 200 ? a : b;
		const lose = a.status === 200 ? b : a;
		const holder = (win.data.item as { assignee: string }).assignee;
		expect(['key:ann', 'key:bob']).toContain(holder);
		expect(lose.data).toMatchObject({ holder, error: expect.stringContaining(holder) });
	});

	it('snooze and resolve validate their bodies; resolve records the outcome', async () => {
		const items = await waitForItems(2);
		const item = items.find((i) => i.customer_id === 'c-2')!;
		const bad = await call('ann', 'POST', `/api/v1/workitems/${item.id}/snooze`, { until: 'tomorrow' });
		// The field-error shape of every other endpoint.
		expect([bad.status, bad.data.errors]).toEqual([422, [{ field: 'until', message: expect.any(String) }]]);
		const sn = await call('ann', 'POST', `/api/v1/workitems/${item.id}/snooze`, {
			until: new Date(Date.now() + 3600_000).toISOString()
		});
		expect(sn.status).toBe(200);
		expect(
			(await call('ann', 'POST', `/api/v1/workitems/${item.id}/resolve`, { outcome: 'saved' })).status
		).toBe(422);
		expect(
			(await call('bob', 'POST', `/api/v1/workitems/${item.id}/resolve`, { outcome: 'retained' })).status
		).toBe(409);
		const done = await call('ann', 'POST', `/api/v1/workitems/${item.id}/resolve`, {
			outcome: 'retained',
			root_cause: 'billing',
			note: 'refunded fee'
		});
		expect(done.status).toBe(200);
		expect(done.data.item).toMatchObject({
			state: 'resolved',
			outcome: 'retained',
			root_cause: 'billing',
			note: 'refunded fee'
		});
		expect((await call('ann', 'POST', '/api/v1/workitems/nope/claim')).status).toBe(404);
	});

	it('GET /api/v1/customers/:id returns the 360 as JSON, 404 JSON for unknown ids, and refuses executives', async () => {
		const r = await call('ann', 'GET', '/api/v1/customers/c-1');
		expect(r.status).toBe(200);
		expect(Object.keys(r.data).sort()).toEqual([
			'debt',
			'profile',
			'reasons',
			'score',
			'score_history',
			'timeline',
			'work_items'
		]);
		expect((r.data.timeline as { events: unknown[] }).events).toHaveLength(4);
		expect((r.data.debt as { current: number; limit: number }).current).toBeGreaterThanOrEqual(
			(r.data.debt as { limit: number }).limit
		);
		const missing = await call('ann', 'GET', '/api/v1/customers/nobody');
		expect(missing).toEqual({ status: 404, data: { error: 'no customer nobody' } });
		expect((await call('exec', 'GET', '/api/v1/customers/c-1')).status).toBe(403);
	});

	it('answers an unknown API path with JSON 404', async () => {
		for (const path of ['/api/v1/metrics/csat', '/api/v1/models/v9999', '/api/v1/nope']) {
			expect(await call('admin', 'GET', path)).toEqual({ status: 404, data: { error: `no API endpoint ${path}` } });
		}
		// Without credentials the answer is still 401 first.
		expect((await fetch(`${server.url}/api/v1/nope`)).status).toBe(401);
	});

	it('notes: 201 with the stored note, 422 naming the field, 404, refused roles; in GET /:id and counted in the list', async () => {
		const items = await waitForItems(2);
		// c-1 is held by whoever won the concurrent claim; c-2 was resolved by ann with the note 'refunded fee'.
		const held = items.find((i) => i.customer_id === 'c-1')!;
		const resolved = items.find((i) => i.customer_id === 'c-2')!;
		expect(resolved.state).toBe('resolved');
		const notes = (id: unknown) => `/api/v1/workitems/${String(id)}/notes`;

		const first = await call('ann', 'POST', notes(held.id), { note: '  called, left voicemail \n' });
		expect(first.status).toBe(201);
		expect(first.data.note).toEqual({
			id: expect.any(String),
			work_item_id: held.id,
			author: 'key:ann',
			created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
			note: 'called, left voicemail',
			kind: 'note'
		});
		// Whoever holds the item, a colleague may add what they know; a follow-up after resolution is normal.
		expect((await call('bob', 'POST', notes(held.id), { note: 'offered 20 % discount, waiting for answer' })).status).toBe(201);
		expect((await call('ann', 'POST', notes(resolved.id), { note: 'follow-up: happy with the refund' })).status).toBe(201);

		const refused: [unknown, string, string][] = [
			[undefined, 'note', 'note is required'],
			[{}, 'note', 'note is required'],
			[{ note: ' \n ' }, 'note', 'note must not be empty'],
			[{ note: 'x'.repeat(2001) }, 'note', 'note is at most 2,000 characters; this one has 2,001'],
			[{ note: 42 }, 'note', 'note must be text'],
			[{ note: ['a'] }, 'note', 'note must be text'],
			[{ note: 'a', author: 'eve' }, 'author', 'unknown key "author"; this request takes note'],
			[['a'], '(body)', 'the body must be a JSON object']
		];
		for (const [body, field, message] of refused) {
			const r = await call('ann', 'POST', notes(held.id), body);
			expect([r.status, r.data], JSON.stringify(body)).toEqual([422, { error: message, errors: [{ field, message }] }]);
		}
		expect(await call('ann', 'POST', notes('no-such-item'), { note: 'hello' })).toEqual({
			status: 404,
			data: { error: 'no work item no-such-item' }
		});
		for (const who of ['exec', 'analyst', 'ingest'] as const)
			expect((await call(who, 'POST', notes(held.id), { note: `from ${who}` })).status, who).toBe(403);

		const one = await call('analyst', 'GET', `/api/v1/workitems/${String(held.id)}`);
		expect((one.data.notes as Record<string, unknown>[]).map((n) => [n.author, n.note, n.kind])).toEqual([
			['key:ann', 'called, left voicemail', 'note'],
			['key:bob', 'offered 20 % discount, waiting for answer', 'note']
		]);
		// The resolution's note is in the same history, by whoever resolved, before the later follow-up.
		const done = await call('analyst', 'GET', `/api/v1/workitems/${String(resolved.id)}`);
		expect((done.data.notes as Record<string, unknown>[]).map((n) => [n.author, n.note, n.kind])).toEqual([
			['key:ann', 'refunded fee', 'resolution'],
			['key:ann', 'follow-up: happy with the refund', 'note']
		]);
		const list = await call('analyst', 'GET', '/api/v1/workitems');
		expect(
			(list.data.items as { customer_id: string; notes_count: number }[]).map((i) => [i.customer_id, i.notes_count]).sort()
		).toEqual([
			['c-1', 2],
			['c-2', 2]
		]);
	});

	it('says a body is not JSON instead of validating it as null', async () => {
		const post = (who: Who, path: string, body: string) =>
			fetch(`${server.url}${path}`, {
				method: 'POST',
				headers: { authorization: `Bearer ${keys[who]}`, 'content-type': 'application/json' },
				body
			});
		const rule = await post('admin', '/api/v1/alerts/rules', '{"name": "x",}');
		expect(rule.status).toBe(400);
		expect(((await rule.json()) as { error: string }).error).toMatch(/^the request body is not valid JSON: /);
		const items = await waitForItems(1);
		const snooze = await post('ann', `/api/v1/workitems/${String(items[0].id)}/snooze`, 'until tomorrow');
		expect(snooze.status).toBe(400);
		expect(((await snooze.json()) as { error: string }).error).toMatch(/^the request body is not valid JSON: /);
		// No body at all is still validated, and the validator names what is missing.
		const empty = await post('admin', '/api/v1/alerts/rules', '');
		expect(empty.status).toBe(422);
		expect(((await empty.json()) as { errors: { field: string }[] }).errors.map((e) => e.field)).toContain('(body)');
	});
});
