// Alert configuration over real HTTP against the built server: editing a webhook destination (PATCH) and
// listing recently ended silences, with the status codes, field errors and role refusals a client meets.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type TestServer } from '../helpers/server';
import { getDb, shutdownDb } from '../../src/lib/server/db';
import { createApiKey } from '../../src/lib/server/auth/api-keys';
import { createDestination } from '../../src/lib/server/alerts/webhooks';
import { createSilence, endSilence } from '../../src/lib/server/alerts/silences';

// TEST-NET addresses: public by the server's rules, no DNS needed, never posted to here.
const URL_A = 'https://203.0.113.7/services/T0/B0/secretA';
const URL_B = 'https://203.0.113.8/services/T0/B0/secretB';

let server: TestServer;
const auth: Record<'analyst' | 'retention', Record<string, string>> = { analyst: {}, retention: {} };
let destinationId: string;
let ended: string;
let current: string;

beforeAll(async () => {
	const dir = mkdtempSync(join(tmpdir(), 'cx-alerts-http-'));
	const dbPath = join(dir, 'cx.duckdb');
	const db = await getDb(dbPath);
	try {
		for (const role of ['analyst', 'retention'] as const) {
			const k = await createApiKey(db, { scope: role, name: `${role}-http`, createdBy: 'test' });
			if (!k.ok) throw new Error(k.error);
			auth[role] = { authorization: `Bearer ${k.value.token}` };
		}
		const d = await createDestination(db, { name: 'Ops Slack', url: URL_A });
		if (!d.ok) throw new Error(JSON.stringify(d.errors));
		destinationId = d.value.id;
		const hour = 3600_000;
		const a = await createSilence(db, { matcher: { kind: 'churn' }, ends_at: new Date(Date.now() + hour).toISOString() }, 'ana');
		const b = await createSilence(db, { matcher: { metric: 'csat' }, ends_at: new Date(Date.now() + hour).toISOString() }, 'ana');
		if (!a.ok || !b.ok) throw new Error('silence');
		current = a.value.id;
		ended = b.value.id;
		await endSilence(db, ended);
	} finally {
		await shutdownDb(dbPath);
	}
	server = await startServer({ dir });
});

afterAll(async () => {
	await server?.stop();
});

function send(method: string, path: string, who: keyof typeof auth, body?: unknown): Promise<Response> {
	return fetch(`${server.url}${path}`, {
		method,
		headers: { 'content-type': 'application/json', accept: 'application/json', ...auth[who] },
		body: body === undefined ? undefined : JSON.stringify(body)
	});
}

describe('PATCH /api/v1/alerts/destinations/:id', () => {
	it('changes name, url, template and enabled; keys left out keep their value', async () => {
		const r = await send('PATCH', `/api/v1/alerts/destinations/${destinationId}`, 'analyst', {
			name: 'Ops Slack (night)',
			url: URL_B,
			template: '{{rule}}: {{value_text}}',
			enabled: false
		});
		expect(r.status).toBe(200);
		const want = { id: destinationId, name: 'Ops Slack (night)', url: URL_B, template: '{{rule}}: {{value_text}}', enabled: false, all_rules: true, rule_ids: [] };
		expect((await r.json()) as unknown).toEqual({ destination: want });
		const partial = await send('PATCH', `/api/v1/alerts/destinations/${destinationId}`, 'analyst', { enabled: true });
		expect(partial.status).toBe(200);
		const list = (await (await send('GET', '/api/v1/alerts/destinations', 'analyst')).json()) as { destinations: unknown[] };
		expect(list.destinations).toEqual([{ ...want, enabled: true }]);
	});

	it.each([
		[{ url: 'ftp://example.com/x' }, 'url', /http\(s\) URL/],
		[{ url: 'http://127.0.0.1:8080/hook' }, 'url', /not a public address/],
		[{ template: '{{rule}} {{valeu_text}}' }, 'template', /unknown placeholder \{\{valeu_text\}\}/],
		[{ name: '  ' }, 'name', /.+/],
		[{ enabled: 'yes' }, 'enabled', /.+/],
		[{ enabeld: false }, 'enabeld', /unknown key "enabeld"/],
		[{ all_rules: false }, 'rule_ids', /at least one rule/]
	])('422 naming the field for %o, nothing stored', async (body, field, message) => {
		const r = await send('PATCH', `/api/v1/alerts/destinations/${destinationId}`, 'analyst', body);
		expect(r.status).toBe(422);
		// The server adds a one-line `error` to every 422 (hooks); the field errors are what names the field.
		expect(((await r.json()) as { errors: unknown }).errors).toEqual([{ field, message: expect.stringMatching(message) }]);
		const list = (await (await send('GET', '/api/v1/alerts/destinations', 'analyst')).json()) as { destinations: { url: string; name: string }[] };
		expect(list.destinations[0]).toMatchObject({ name: 'Ops Slack (night)', url: URL_B });
	});

	it('404 for an unknown destination, 403 for a role that may not configure alerts', async () => {
		const missing = await send('PATCH', '/api/v1/alerts/destinations/no-such-destination', 'analyst', { enabled: false });
		expect(missing.status).toBe(404);
		expect(await missing.text()).toContain('no destination no-such-destination');
		const refused = await send('PATCH', `/api/v1/alerts/destinations/${destinationId}`, 'retention', { name: 'mine now' });
		expect(refused.status).toBe(403);
		await refused.body?.cancel();
		const list = (await (await send('GET', '/api/v1/alerts/destinations', 'analyst')).json()) as { destinations: { name: string }[] };
		expect(list.destinations[0].name).toBe('Ops Slack (night)');
	});
});

describe('GET /api/v1/alerts/silences?ended_days=', () => {
	it('lists only current silences by default, and those ended recently when asked', async () => {
		const plain = (await (await send('GET', '/api/v1/alerts/silences', 'analyst')).json()) as { silences: { id: string; state: string }[] };
		expect(plain.silences.map((s) => [s.id, s.state])).toEqual([[current, 'active']]);
		const withEnded = (await (await send('GET', '/api/v1/alerts/silences?ended_days=7', 'analyst')).json()) as { silences: { id: string; state: string }[] };
		expect(withEnded.silences.map((s) => [s.id, s.state])).toEqual([
			[current, 'active'],
			[ended, 'ended']
		]);
	});

	it('400 naming ended_days when it is not a day count, 403 for retention', async () => {
		const bad = await send('GET', '/api/v1/alerts/silences?ended_days=week', 'analyst');
		expect(bad.status).toBe(400);
		expect(((await bad.json()) as { error: string }).error).toMatch(/^ended_days must be a whole number of days from 0 to 90/);
		const refused = await send('GET', '/api/v1/alerts/silences?ended_days=7', 'retention');
		expect(refused.status).toBe(403);
		await refused.body?.cancel();
	});
});
