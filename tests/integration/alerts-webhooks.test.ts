import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { evaluateAlerts } from '../../src/lib/server/alerts/evaluate';
import { saveRule } from '../../src/lib/server/alerts/rules';
import { createSilence, endSilence } from '../../src/lib/server/alerts/silences';
import {
	createDestination,
	listDeliveries,
	processDueDeliveries,
	refusedDestinations,
	testDestination
} from '../../src/lib/server/alerts/webhooks';
import { isNonPublicAddress } from '../../src/lib/server/alerts/webhook-target';
import { config, overrideConfig } from '../../src/lib/server/config';
import { tempDb, type TempDb } from '../helpers/temp-db';

let t: TempDb;
let server: Server;
let url: string;
let failuresLeft = 0;
const received: unknown[] = [];

function body(req: IncomingMessage): Promise<string> {
	return new Promise((resolve) => {
		let s = '';
		req.on('data', (c: Buffer) => (s += c.toString()));
		req.on('end', () => resolve(s));
	});
}

beforeEach(async () => {
	// The receiver listens on loopback, which webhooks may only reach when internal targets are allowed.
	overrideConfig({ webhookAllowPrivate: true });
	t = await tempDb();
	received.length = 0;
	failuresLeft = 0;
	server = createServer((req, res) => {
		void body(req).then((b) => {
			if (failuresLeft > 0) {
				failuresLeft--;
				res.writeHead(503).end('busy');
				return;
			}
			received.push(JSON.parse(b));
			res.writeHead(200).end('ok');
		});
	});
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
	url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
});
afterEach(async () => {
	overrideConfig({ webhookAllowPrivate: false });
	await new Promise((r) => server.close(r));
	await t.cleanup();
});

describe('webhook notifications', () => {
	it('a firing rule is delivered after retries with exponential backoff, and logged', async () => {
		const dest = await createDestination(t.db, {
			name: 'Slack',
			url,
			template: '{{state}}: {{rule}} {{value}}'
		});
		expect(dest.ok).toBe(true);
		await saveRule(t.db, {
			id: 'csat',
			name: 'CSAT low',
			definition: { kind: 'metric', metric: 'csat', comparator: '<', threshold: 70 }
		});
		let clock = Date.UTC(2026, 0, 1);
		await evaluateAlerts(t.db, new Map([['csat', 50]]), { now: clock });
		failuresLeft = 2;
		const now = () => clock;
		expect(await processDueDeliveries(t.db, { baseMs: 1000, now })).toEqual({
			delivered: 0,
			failed: 0,
			retrying: 1
		});
		// Not due yet: the first retry waits 1 s.
		clock += 500;
		expect(await processDueDeliveries(t.db, { baseMs: 1000, now })).toEqual({
			delivered: 0,
			failed: 0,
			retrying: 0
		});
		clock += 500;
		expect(await processDueDeliveries(t.db, { baseMs: 1000, now })).toEqual({
			delivered: 0,
			failed: 0,
			retrying: 1
		});
		const log1 = await listDeliveries(t.db);
		expect(log1[0]).toMatchObject({
			status: 'pending',
			attempts: 2,
			last_http_status: 503,
			next_attempt_at: new Date(clock + 2000).toISOString()
		});
		clock += 2000;
		expect(await processDueDeliveries(t.db, { baseMs: 1000, now })).toEqual({
			delivered: 1,
			failed: 0,
			retrying: 0
		});
		expect(received).toEqual([
			{
				text: 'firing: CSAT low 50',
				cx: expect.objectContaining({ rule_id: 'csat', state: 'firing', value: 50 })
			}
		]);
		expect((await listDeliveries(t.db))[0]).toMatchObject({
			status: 'delivered',
			attempts: 3,
			last_http_status: 200,
			destination: 'Slack'
		});
	});

	it('gives up after the last attempt', async () => {
		await createDestination(t.db, { name: 'Down', url });
		await saveRule(t.db, {
			id: 'csat',
			name: 'CSAT low',
			definition: { kind: 'metric', metric: 'csat', comparator: '<', threshold: 70 }
		});
		let clock = Date.UTC(2026, 0, 1);
		await evaluateAlerts(t.db, new Map([['csat', 50]]), { now: clock });
		failuresLeft = 100;
		for (let i = 0; i < 3; i++) {
			await processDueDeliveries(t.db, { baseMs: 10, maxAttempts: 3, now: () => clock });
			clock += 1000;
		}
		expect((await listDeliveries(t.db))[0]).toMatchObject({
			status: 'failed',
			attempts: 3,
			next_attempt_at: null
		});
	});

	it('routes per rule and rejects bad destinations', async () => {
		await saveRule(t.db, { id: 'other', name: 'Churn high', definition: { kind: 'churn', min_probability: 0.7 } });
		expect((await createDestination(t.db, { name: 'Only churn', url, all_rules: false, rule_ids: ['other'] })).ok).toBe(true);
		await saveRule(t.db, {
			id: 'csat',
			name: 'CSAT low',
			definition: { kind: 'metric', metric: 'csat', comparator: '<', threshold: 70 }
		});
		await evaluateAlerts(t.db, new Map([['csat', 50]]), { now: Date.now() });
		expect(await listDeliveries(t.db)).toEqual([]);
		expect(await createDestination(t.db, { name: 'x', url: 'ftp://nope' })).toMatchObject({
			ok: false,
			errors: [{ field: 'url' }]
		});
		// Destinations that could never send what was meant: refused with the reason.
		expect(await createDestination(t.db, { name: 'x', url, template: '{{rule}} is {{stat}}' })).toEqual({
			ok: false,
			errors: [
				{
					field: 'template',
					message:
						'unknown placeholder {{stat}}; use {{rule}}, {{rule_id}}, {{state}}, {{previous_state}}, {{metric}}, {{value}}, {{threshold}}, {{value_text}}, {{threshold_text}}, {{metric_label}}, {{condition}}, {{at}}, {{reason}}, {{status}}, {{at_text}}'
				}
			]
		});
		expect(await createDestination(t.db, { name: 'x', url, template: '{{rule}} at {{at_text' })).toEqual({
			ok: false,
			errors: [{ field: 'template', message: '{{at_text is not closed: end each placeholder with }}' }]
		});
		expect(await createDestination(t.db, { name: 'x', url, all_rules: false })).toMatchObject({ ok: false, errors: [{ field: 'rule_ids' }] });
		expect(await createDestination(t.db, { name: 'x', url, all_rules: false, rule_ids: ['csat', 'csat-typo'] })).toEqual({
			ok: false,
			errors: [{ field: 'rule_ids', message: 'no alert rule "csat-typo"' }]
		});
	});

	it('a [firing] sent before a silence gets its resolved delivered once the silence is over', async () => {
		expect((await createDestination(t.db, { name: 'Pager', url, template: '{{state}}: {{rule}} ({{reason}})' })).ok).toBe(true);
		await saveRule(t.db, { id: 'csat', name: 'CSAT low', definition: { kind: 'metric', metric: 'csat', comparator: '<', threshold: 70 } });
		const t0 = Date.UTC(2026, 0, 1);
		const deliver = () => processDueDeliveries(t.db, { now: () => t0 + 60_000 });
		await evaluateAlerts(t.db, new Map([['csat', 50]]), { now: t0 });
		await deliver();
		const s = await createSilence(t.db, { matcher: { rule_id: 'csat' }, ends_at: new Date(t0 + 3600_000).toISOString() }, 'ann', t0 + 1000);
		if (!s.ok) throw new Error('silence');
		await evaluateAlerts(t.db, new Map([['csat', 80]]), { now: t0 + 2000 });
		await deliver();
		expect(received.map((b) => (b as { text: string }).text)).toEqual(['firing: CSAT low (condition met)']);
		expect(await endSilence(t.db, s.value.id, t0 + 3000, 'ann')).toBe(true);
		await evaluateAlerts(t.db, new Map([['csat', 80]]), { now: t0 + 4000 });
		await evaluateAlerts(t.db, new Map([['csat', 80]]), { now: t0 + 5000 });
		await deliver();
		expect(received.map((b) => (b as { text: string }).text)).toEqual([
			'firing: CSAT low (condition met)',
			'normal: CSAT low (silence ended)'
		]);
		expect(received[1]).toMatchObject({ cx: { rule_id: 'csat', state: 'normal', previous_state: 'firing' } });
	});

	it('test button sends one sample message, marked as a test', async () => {
		const d = await createDestination(t.db, { name: 'Slack', url });
		if (!d.ok) throw new Error('destination');
		expect(await testDestination(t.db, d.value.id)).toEqual({ ok: true, status: 200 });
		expect(received).toEqual([
			expect.objectContaining({ text: expect.stringMatching(/^\[test\] Test notification \(not a real alert\): /), cx: expect.objectContaining({ status: 'test' }) })
		]);
	});

	it('internal targets are refused by default, when saved and when sent', async () => {
		overrideConfig({ webhookAllowPrivate: false });
		expect(config().webhookAllowPrivate).toBe(false);
		for (const bad of [url, 'http://169.254.169.254/latest/meta-data', 'http://[::1]:9/x', 'http://10.1.2.3/hook', 'http://localhost:9/x']) {
			const r = await createDestination(t.db, { name: 'internal', url: bad });
			expect(r.ok, bad).toBe(false);
			if (!r.ok) expect(r.errors[0]).toMatchObject({ field: 'url', message: expect.stringContaining('is not a public address; webhooks to internal targets need CX_WEBHOOK_ALLOW_PRIVATE=on') });
		}
		// Saved while allowed, then the setting is turned off: the request is not sent.
		overrideConfig({ webhookAllowPrivate: true });
		const d = await createDestination(t.db, { name: 'hook', url });
		if (!d.ok) throw new Error(JSON.stringify(d.errors));
		overrideConfig({ webhookAllowPrivate: false });
		const sent = await testDestination(t.db, d.value.id);
		expect(sent).toMatchObject({ ok: false, status: null, error: expect.stringContaining('is not a public address') });
		// What the server warns about at start: by name and host, never the URL.
		expect(await refusedDestinations(t.db)).toEqual([
			{ name: 'hook', host: new URL(url).host, reason: expect.stringContaining('is not a public address') }
		]);
		expect(received).toEqual([]);
		expect([isNonPublicAddress('8.8.8.8'), isNonPublicAddress('::ffff:192.168.1.1'), isNonPublicAddress('2606:4700::1111')]).toEqual([false, true, false]);
	});
});
