// Release and hand-over against the real built server, signed in as people (an item can only be handed
// to a user): the holder releases, an admin takes over and releases someone else's item, everyone else is
// told who holds it, hand-overs only go to enabled teammates who may work items, and every change is a
// transition with who did it and what they said, published live with the open count.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/lib/server/auth/api-keys';
import { createUser, setUserDisabled } from '../../src/lib/server/auth/users';
import { getDb, shutdownDb } from '../../src/lib/server/db';
import { anEvent } from '../fixtures/events';
import { startServer, type TestServer } from '../helpers/server';
import { signInOver } from './auth-http';
import { SseReader } from './live-server';

const PASSWORD = 'handover-pass-1234';
// carol may not work items, dave is disabled: neither may be handed one.
const USERS = {
	ana: 'retention',
	bob: 'retention',
	carol: 'executive',
	dave: 'retention',
	boss: 'admin'
} as const;
type Who = 'ana' | 'bob' | 'carol' | 'boss';
let server: TestServer;
let dir: string;
let ingestKey = '';
const cookies = {} as Record<Who, string>;

interface Answer {
	status: number;
	data: Record<string, unknown>;
}

async function call(who: Who, method: string, path: string, body?: unknown): Promise<Answer> {
	const r = await fetch(`${server.url}${path}`, {
		method,
		headers: {
			cookie: cookies[who],
			origin: server.url,
			...(body === undefined ? {} : { 'content-type': 'application/json' })
		},
		body: body === undefined ? undefined : JSON.stringify(body)
	});
	const text = await r.text();
	return { status: r.status, data: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

type Item = {
	id: string;
	customer_id: string;
	state: string;
	assignee: string | null;
	snoozed_until: string | null;
};
const itemOf = (a: Answer) => a.data.item as Item;
const act = (who: Who, id: string, action: string, body?: unknown) =>
	call(who, 'POST', `/api/v1/workitems/${id}/${action}`, body);

async function itemFor(customer: string, timeoutMs = 20_000): Promise<Item> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const r = await call('ana', 'GET', `/api/v1/workitems?customer_id=${customer}`);
		const [item] = (r.data.items ?? []) as Item[];
		if (item) return item;
		if (Date.now() > deadline)
			throw new Error(`no work item for ${customer} after ${timeoutMs} ms:\n${server.output()}`);
		await new Promise((res) => setTimeout(res, 250));
	}
}

beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'cx-wi-ho-'));
	const dbPath = join(dir, 'cx.duckdb');
	const db = await getDb(dbPath);
	try {
		for (const [username, role] of Object.entries(USERS)) {
			const u = await createUser(db, { username, role, password: PASSWORD });
			if (!u.ok) throw new Error(u.error);
			if (username === 'dave') await setUserDisabled(db, u.value.user.id, true);
		}
		const k = await createApiKey(db, { scope: 'ingest', createdBy: 'test' });
		if (!k.ok) throw new Error(k.error);
		ingestKey = k.value.token;
	} finally {
		await shutdownDb(dbPath);
	}
	server = await startServer({ dir, env: { CX_TICK_MS: '200' } });
	for (const who of ['ana', 'bob', 'carol', 'boss'] as const) {
		const s = await signInOver(server, who, PASSWORD);
		if (!s.cookie) throw new Error(`${who} could not sign in: ${s.status} ${s.body.slice(0, 200)}`);
		cookies[who] = s.cookie;
	}
	const now = Date.now();
	const unhappy = (c: string) =>
		[
			['complaint', null],
			['complaint', null],
			['survey_csat', 1],
			['survey_nps', 0]
		].map(([type, rating], i) => {
			const e = anEvent()
				.withCustomer(c)
				.withType(type as 'complaint')
				.at(new Date(now - 3600_000 + i * 60_000));
			return (rating === null ? e : e.withRating(rating as number)).build();
		});
	const r = await fetch(`${server.url}/api/v1/events`, {
		method: 'POST',
		headers: { authorization: `Bearer ${ingestKey}`, 'content-type': 'application/json' },
		body: JSON.stringify(['h-1', 'h-2', 'h-3', 'h-4'].flatMap(unhappy))
	});
	expect(r.status, await r.text()).toBe(200);
}, 120_000);

afterAll(async () => {
	await server?.stop({ keepDir: true });
	rmSync(dir, { recursive: true, force: true });
});

describe('release and hand over over HTTP', () => {
	it('the holder releases (published live with the open count); anyone else is told who holds it', async () => {
		const item = await itemFor('h-1');
		expect((await act('ana', item.id, 'claim')).status).toBe(200);

		for (const [action, body] of [
			['release', undefined],
			['assign', { assignee: 'bob' }]
		] as const) {
			const refused = await act('bob', item.id, action, body);
			expect([refused.status, refused.data], action).toEqual([
				403,
				{
					error: expect.stringMatching(
						new RegExp(`^work item ${item.id} is held by ana; only they or an admin can`)
					),
					holder: 'ana'
				}
			]);
		}
		// Read-only roles do not reach the item at all.
		expect((await act('carol', item.id, 'release')).status).toBe(403);

		const stream = new SseReader(
			await fetch(`${server.url}/api/v1/stream?window=1h`, { headers: { cookie: cookies.boss } })
		);
		try {
			const released = await act('ana', item.id, 'release', { note: 'no answer after three calls' });
			expect(released.status, JSON.stringify(released.data)).toBe(200);
			expect(itemOf(released)).toMatchObject({ state: 'open', assignee: null, snoozed_until: null });
			const live = await stream.until((e) => e.event === 'workitem' && JSON.parse(e.data).id === item.id);
			const open = await call('bob', 'GET', '/api/v1/workitems?state=open');
			expect(JSON.parse(live.data)).toMatchObject({
				id: item.id,
				status: 'open',
				assignee: null,
				openItems: open.data.total
			});
			expect(open.data.total).toBeGreaterThanOrEqual(1);
		} finally {
			await stream.close();
		}

		const again = await act('ana', item.id, 'release');
		expect([again.status, again.data]).toEqual([
			409,
			{ error: `work item ${item.id} is open already: nobody holds it`, holder: null }
		]);
	});

	it('hands over only to an enabled user who may work items, and not to whoever holds it already', async () => {
		const item = await itemFor('h-1');
		expect((await act('ana', item.id, 'claim')).status).toBe(200);
		const refused: [unknown, number, string, string | null][] = [
			[{ assignee: 'carol' }, 422, 'user carol (executive) cannot work items', 'assignee'],
			[{ assignee: 'dave' }, 422, 'user dave is disabled', 'assignee'],
			[{ assignee: 'zed' }, 422, 'no such user "zed"', 'assignee'],
			[{}, 422, 'assignee is required', 'assignee'],
			[{ assignee: 'bob', to: 'carol' }, 422, 'unknown key "to"; this request takes assignee, note', 'to'],
			[
				{ assignee: 'bob', note: 'x'.repeat(2001) },
				422,
				'note is at most 2,000 characters; this one has 2,001',
				'note'
			],
			[{ assignee: 'ana' }, 409, `work item ${item.id} is already held by ana`, null]
		];
		for (const [body, status, message, field] of refused) {
			const r = await act('ana', item.id, 'assign', body);
			expect([r.status, r.data], JSON.stringify(body)).toEqual([
				status,
				field ? { error: message, errors: [{ field, message }] } : { error: message, holder: 'ana' }
			]);
		}
		const handed = await act('ana', item.id, 'assign', { assignee: 'Bob', note: 'on holiday until Monday' });
		expect(handed.status, JSON.stringify(handed.data)).toBe(200);
		expect(itemOf(handed)).toMatchObject({ state: 'claimed', assignee: 'bob' });
		// ana no longer holds it: it is bob's to release or hand on.
		expect((await act('ana', item.id, 'release')).data).toMatchObject({ holder: 'bob' });

		// An admin takes it over from bob: a hand-over to themselves, recorded as a takeover.
		const taken = await act('boss', item.id, 'assign', { assignee: 'boss' });
		expect(itemOf(taken)).toMatchObject({ state: 'claimed', assignee: 'boss' });

		const history = await call('bob', 'GET', `/api/v1/workitems/${item.id}`);
		const transitions = (
			history.data.transitions as { actor: string; from: string | null; to: string; detail: unknown }[]
		).map((t) => [t.actor, t.from, t.to, t.detail]);
		expect(transitions).toEqual([
			['system', null, 'open', expect.anything()],
			['ana', 'open', 'claimed', null],
			[
				'ana',
				'claimed',
				'open',
				{ action: 'release', from_assignee: 'ana', note: 'no answer after three calls' }
			],
			['ana', 'open', 'claimed', null],
			[
				'ana',
				'claimed',
				'claimed',
				{ action: 'assign', from_assignee: 'ana', to_assignee: 'bob', note: 'on holiday until Monday' }
			],
			[
				'boss',
				'claimed',
				'claimed',
				{ action: 'assign', from_assignee: 'bob', to_assignee: 'boss', note: null, takeover: true }
			]
		]);
	});

	it("an admin releases someone else's snoozed item; an open item may be handed to anyone", async () => {
		const item = await itemFor('h-2');
		expect((await act('bob', item.id, 'claim')).status).toBe(200);
		const until = new Date(Date.now() + 48 * 3600_000).toISOString();
		expect((await act('bob', item.id, 'snooze', { until })).status).toBe(200);
		expect((await act('ana', item.id, 'release')).status).toBe(403);

		const released = await act('boss', item.id, 'release', { note: 'bob left the team' });
		expect(itemOf(released)).toMatchObject({ state: 'open', assignee: null, snoozed_until: null });

		// Open: a claim for someone else, by anyone who may change items.
		const assigned = await act('ana', item.id, 'assign', { assignee: 'bob' });
		expect(itemOf(assigned)).toMatchObject({ state: 'claimed', assignee: 'bob' });

		const history = await call('bob', 'GET', `/api/v1/workitems/${item.id}`);
		expect(
			(history.data.transitions as { actor: string; from: string; to: string; detail: unknown }[]).slice(-2)
		).toEqual([
			expect.objectContaining({
				actor: 'boss',
				from: 'snoozed',
				to: 'open',
				detail: { action: 'release', from_assignee: 'bob', note: 'bob left the team', takeover: true }
			}),
			expect.objectContaining({
				actor: 'ana',
				from: 'open',
				to: 'claimed',
				detail: { action: 'assign', from_assignee: null, to_assignee: 'bob', note: null }
			})
		]);
	});

	it('a snoozed item handed over stays snoozed until its time; a resolved item can be neither released nor handed over', async () => {
		const item = await itemFor('h-3');
		expect((await act('ana', item.id, 'claim')).status).toBe(200);
		const until = new Date(Date.now() + 24 * 3600_000).toISOString();
		const snoozed = itemOf(await act('ana', item.id, 'snooze', { until }));
		const handed = await act('ana', item.id, 'assign', { assignee: 'bob' });
		expect(itemOf(handed)).toMatchObject({
			state: 'snoozed',
			assignee: 'bob',
			snoozed_until: snoozed.snoozed_until
		});

		expect((await act('bob', item.id, 'resolve', { outcome: 'retained' })).status).toBe(200);
		for (const [action, body] of [
			['release', undefined],
			['assign', { assignee: 'ana' }]
		] as const) {
			const r = await act('boss', item.id, action, body);
			expect([r.status, r.data], action).toEqual([
				409,
				{ error: `work item ${item.id} is already resolved`, holder: 'bob' }
			]);
		}
	});

	it('refuses a bad body by name, and an unknown item first', async () => {
		const item = await itemFor('h-4');
		expect((await act('ana', item.id, 'claim')).status).toBe(200);
		const bad = await act('ana', item.id, 'release', { reason: 'away' });
		expect([bad.status, bad.data]).toEqual([
			422,
			{
				error: 'unknown key "reason"; this request takes note',
				errors: [{ field: 'reason', message: 'unknown key "reason"; this request takes note' }]
			}
		]);
		expect((await act('ana', item.id, 'release', { note: 'x'.repeat(2001) })).data).toMatchObject({
			errors: [{ field: 'note', message: 'note is at most 2,000 characters; this one has 2,001' }]
		});
		for (const action of ['release', 'assign'])
			expect(await act('ana', 'no-such-item', action, { assignee: 'bob' })).toEqual({
				status: 404,
				data: { error: 'no work item no-such-item' }
			});
	});
});
