// Churn reasons are stored with their score: one explained before event types had readable names says
// "survey nps events". GET /api/v1/customers/:id and the customer page must both name it as today.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb, shutdownDb } from '../../src/lib/server/db';
import { ingestEvents } from '../../src/lib/server/ingest';
import { anEvent } from '../fixtures/events';
import { startServer, type TestServer } from '../helpers/server';
import { signInOver } from './auth-http';

let server: TestServer;
let dir: string;
let cookie: string;

const STORED_REASONS = [
	{ kind: 'event_type', feature: 'survey_nps', label: 'survey nps events', delta: 0.052 },
	{ kind: 'recent_events', feature: 'last 3', label: 'the last 3 events', delta: 0.031 }
];

beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'cx-customer-reasons-'));
	const dbPath = join(dir, 'cx.duckdb');
	const db = await getDb(dbPath);
	try {
		const now = Date.now();
		const r = await ingestEvents(db, [anEvent().withCustomer('cu-old').withType('survey_nps').withRating(2).at(new Date(now - 3_600_000)).build()], {
			source: 'test'
		});
		if (!r.ok) throw new Error(JSON.stringify(r.errors));
		await db.run(
			`INSERT INTO scores (customer_id, model_version, probability, risk_band, reasons, scored_at)
			 VALUES ($1, 'v0001', 0.72, 'high', $2::JSON, now())`,
			['cu-old', JSON.stringify(STORED_REASONS)]
		);
	} finally {
		await shutdownDb(dbPath);
	}
	// An empty registry: no champion, so no scorer replaces the stored score and its reasons.
	const models = join(dir, 'models');
	mkdirSync(models);
	server = await startServer({ dir, env: { CX_MODELS_DIR: models } });
	cookie = (await signInOver(server, 'admin', server.adminPassword()!)).cookie!;
});

afterAll(async () => {
	await server?.stop();
	rmSync(dir, { recursive: true, force: true });
});

describe('stored churn reasons with an old label', () => {
	it('come from GET /api/v1/customers/:id named from their event type; other reasons keep their label', async () => {
		const r = await fetch(`${server.url}/api/v1/customers/cu-old`, { headers: { cookie } });
		expect(r.status).toBe(200);
		const body = (await r.json()) as { reasons: unknown[] };
		expect(body.reasons).toEqual([
			{ kind: 'event_type', feature: 'survey_nps', label: 'NPS surveys', delta: 0.052 },
			{ kind: 'recent_events', feature: 'last 3', label: 'the last 3 events', delta: 0.031 }
		]);
	});

	it('read the same on the customer page', async () => {
		const r = await fetch(`${server.url}/customers/cu-old`, { headers: { cookie } });
		expect(r.status).toBe(200);
		const html = (await r.text()).replace(/<!--[^]*?-->/g, '').replace(/\s+/g, ' ');
		expect(html).toContain('NPS surveys (+5.2 pp)');
		expect(html).toContain('the last 3 events (+3.1 pp)');
		expect(html).not.toContain('survey nps events');
	});
});
