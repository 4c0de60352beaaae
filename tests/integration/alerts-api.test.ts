// The alerts API in process: route handlers called with a principal (who may see alert configuration),
// and the server functions behind them (rules, import, silences, tolerance) with their field errors.
import { isHttpError } from '@sveltejs/kit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { overrideConfig } from '../../src/lib/server/config';
import {
	createRule,
	exportRules,
	importRules,
	listRules,
	updateRule
} from '../../src/lib/server/alerts/rules';
import {
	createSilence,
	endSilence,
	isSilenced,
	listActiveSilences,
	listCurrentSilences,
	listSilences
} from '../../src/lib/server/alerts/silences';
import { createDestination } from '../../src/lib/server/alerts/webhooks';
import { evaluateAlerts } from '../../src/lib/server/alerts/evaluate';
import { loadToleranceSettings } from '../../src/lib/server/alerts/tolerance-settings';
import { getToleranceApi, putToleranceApi } from '../../src/lib/server/alerts/tolerance-api';
import { debtRecomputeIdle, debtRecomputeStatus } from '../../src/lib/server/alerts/debt-recompute-job';
import type { Principal, Role } from '../../src/lib/shared/auth-types';
import * as destinationsRoute from '../../src/routes/api/v1/alerts/destinations/+server';
import * as deliveriesRoute from '../../src/routes/api/v1/alerts/deliveries/+server';
import * as rulesRoute from '../../src/routes/api/v1/alerts/rules/+server';
import * as ruleRoute from '../../src/routes/api/v1/alerts/rules/[id]/+server';
import * as exportRoute from '../../src/routes/api/v1/alerts/rules/export/+server';
import * as previewRoute from '../../src/routes/api/v1/alerts/rules/preview/+server';
import * as silencesRoute from '../../src/routes/api/v1/alerts/silences/+server';
import * as silenceRoute from '../../src/routes/api/v1/alerts/silences/[id]/+server';
import * as toleranceRoute from '../../src/routes/api/v1/alerts/tolerance/+server';
import * as toleranceSegmentRoute from '../../src/routes/api/v1/alerts/tolerance/[segment]/+server';
import { listAudit } from '../../src/lib/server/auth/audit';
import { insertCustomers } from '../fixtures/alerts-db';
import { aCustomer } from '../fixtures/alerts';
import { tempDb, type TempDb } from '../helpers/temp-db';

let t: TempDb;
const NOW = Date.UTC(2026, 5, 1, 12);
const SECRET_URL = 'https://hooks.slack.com/services/T000/B000/SECRETxyz';
const csat = (extra: Record<string, unknown> = {}) => ({
	id: 'csat-low',
	name: 'CSAT low',
	definition: { kind: 'metric', metric: 'csat', comparator: '<', threshold: 50, ...extra }
});

beforeEach(async () => {
	t = await tempDb();
	// The handlers open the configured database; point it at this test's file.
	overrideConfig({ dbPath: t.path });
});
afterEach(async () => t.cleanup());

const user = (role: Role): Principal => ({
	kind: 'user',
	userId: role,
	username: `${role}-user`,
	role,
	sessionId: 's'
});
const key = (scope: Role): Principal => ({ kind: 'api-key', keyId: scope, name: `${scope}-key`, scope });

type Handler = (event: never) => Promise<Response> | Response;
/** Status of a handler call: thrown SvelteKit errors (401/403/404) become their status. */
async function call(
	h: Handler,
	p: Principal,
	init: { method?: string; body?: unknown; params?: Record<string, string> } = {}
): Promise<{ status: number; body: unknown }> {
	const request = new Request('http://x/api', {
		method: init.method ?? 'GET',
		headers: { 'content-type': 'application/json' },
		body: init.body === undefined ? undefined : JSON.stringify(init.body)
	});
	try {
		const r = await h({
			locals: { principal: p },
			request,
			params: init.params ?? {},
			url: new URL(request.url)
		} as never);
		const text = await r.text();
		return { status: r.status, body: text ? JSON.parse(text) : null };
	} catch (e) {
		if (isHttpError(e)) return { status: e.status, body: e.body };
		throw e;
	}
}

describe('alert configuration is for analysts and admins (README role table)', () => {
	const reads: [string, Handler, { method?: string; body?: unknown }][] = [
		['GET destinations', destinationsRoute.GET, {}],
		['GET deliveries', deliveriesRoute.GET, {}],
		['GET rules', rulesRoute.GET, {}],
		['GET rules/export', exportRoute.GET, {}],
		[
			'POST rules/preview',
			previewRoute.POST,
			{
				method: 'POST',
				body: { definition: { kind: 'metric', metric: 'csat', comparator: '<', threshold: 1 } }
			}
		],
		['GET silences', silencesRoute.GET, {}],
		['GET tolerance', toleranceRoute.GET, {}]
	];

	it.each(reads)(
		'%s: 403 for executive and retention (session or key), allowed for analyst and admin',
		async (_n, h, init) => {
			for (const p of [user('executive'), key('executive'), user('retention'), key('retention')])
				expect((await call(h, p, init)).status, JSON.stringify(p)).toBe(403);
			for (const p of [user('analyst'), key('analyst'), user('admin')])
				expect((await call(h, p, init)).status, JSON.stringify(p)).toBe(200);
		}
	);

	it('never shows a webhook URL to executive or retention', async () => {
		expect((await createDestination(t.db, { name: 'slack', url: SECRET_URL })).ok).toBe(true);
		for (const p of [key('executive'), user('retention')]) {
			const r = await call(destinationsRoute.GET, p);
			expect(r.status).toBe(403);
			expect(JSON.stringify(r.body)).not.toContain('SECRET');
		}
		expect(JSON.stringify((await call(destinationsRoute.GET, key('analyst'))).body)).toContain(SECRET_URL);
	});

	it('retention cannot create a silence, rule-wide or for one customer', async () => {
		await createRule(t.db, csat());
		const ends_at = new Date(Date.now() + 3600_000).toISOString();
		for (const matcher of [
			{ rule_id: 'csat-low' },
			{ kind: 'metric' },
			{ metric: 'csat' },
			{ customer_id: 'c1' }
		]) {
			expect(
				(await call(silencesRoute.POST, user('retention'), { method: 'POST', body: { matcher, ends_at } }))
					.status
			).toBe(403);
		}
		expect(await t.db.one<{ n: number }>('SELECT count(*)::INTEGER AS n FROM silences')).toEqual({ n: 0 });
		expect(
			(
				await call(silencesRoute.POST, user('analyst'), {
					method: 'POST',
					body: { matcher: { rule_id: 'csat-low' }, ends_at }
				})
			).status
		).toBe(201);
	});
});

describe('rules API', () => {
	it('refuses a channel the metrics API would refuse, and accepts a known one', async () => {
		const fax = await createRule(t.db, csat({ scope: { kind: 'channel', value: 'fax' } }));
		expect(fax).toMatchObject({
			ok: false,
			errors: [{ field: 'definition.scope.value', message: expect.stringContaining('unknown channel "fax"') }]
		});
		expect((await createRule(t.db, csat({ scope: { kind: 'channel', value: 'chat' } }))).ok).toBe(true);
		const longSegment = await createRule(t.db, {
			...csat({ scope: { kind: 'segment', value: 'x'.repeat(101) } }),
			id: 'seg'
		});
		expect(longSegment).toMatchObject({ ok: false, errors: [{ field: 'definition.scope.value' }] });
	});

	it('refuses a recovery threshold on the firing side of the threshold', async () => {
		const below = await createRule(t.db, csat({ recovery_threshold: 40 }));
		expect(below).toMatchObject({
			ok: false,
			errors: [
				{
					field: 'definition.recovery_threshold',
					message: expect.stringMatching(/at least the threshold \(50\).*</)
				}
			]
		});
		const above = await createRule(t.db, { ...csat({ comparator: '>', recovery_threshold: 60 }), id: 'up' });
		expect(above).toMatchObject({
			ok: false,
			errors: [
				{
					field: 'definition.recovery_threshold',
					message: expect.stringContaining('at most the threshold (50)')
				}
			]
		});
		expect((await createRule(t.db, csat({ recovery_threshold: 55 }))).ok).toBe(true);
	});

	it('POST with a taken id answers 409 naming it; PUT of an unknown id answers 404 and creates nothing', async () => {
		expect((await call(rulesRoute.POST, user('analyst'), { method: 'POST', body: csat() })).status).toBe(201);
		const again = await call(rulesRoute.POST, user('analyst'), {
			method: 'POST',
			body: { ...csat(), name: 'replaced?' }
		});
		expect(again.status).toBe(409);
		expect(again.body).toEqual({
			errors: [{ field: 'id', message: expect.stringContaining('"csat-low" already exists') }]
		});
		expect((await listRules(t.db)).map((r) => r.name)).toEqual(['CSAT low']);

		const put = await call(ruleRoute.PUT, user('analyst'), {
			method: 'PUT',
			params: { id: 'does-not-exist' },
			body: { name: 'x', definition: { kind: 'tolerance' } }
		});
		expect(put.status).toBe(404);
		expect(put.body).toEqual({ message: 'no alert rule does-not-exist' });
		expect((await listRules(t.db)).map((r) => r.id)).toEqual(['csat-low']);
		const ok = await call(ruleRoute.PUT, user('analyst'), {
			method: 'PUT',
			params: { id: 'csat-low' },
			body: { name: 'renamed', definition: { kind: 'tolerance' } }
		});
		expect(ok.status).toBe(200);
		expect(
			await updateRule(t.db, 'csat-low', { id: 'other', name: 'x', definition: { kind: 'tolerance' } })
		).toMatchObject({ ok: false, errors: [{ field: 'id' }] });
	});

	it('takes and returns min_sample, says why a rule below it is not judged, and refuses it where nothing is counted', async () => {
		const ana = user('analyst');
		const created = await call(rulesRoute.POST, ana, { method: 'POST', body: csat({ min_sample: 30 }) });
		expect(created).toMatchObject({ status: 201, body: { rule: { definition: { min_sample: 30 } } } });
		expect((await call(ruleRoute.GET, ana, { params: { id: 'csat-low' } })).body).toMatchObject({
			rule: { definition: { min_sample: 30 }, summary: 'CSAT < 50 %, judged on at least 30 CSAT ratings', note: null }
		});
		expect((await exportRules(t.db)).rules[0].definition).toMatchObject({ min_sample: 30 });

		// 12 ratings, all bad: below 30 the rule reads no data and says why instead of firing.
		await evaluateAlerts(t.db, new Map([['csat', 0]]), { now: NOW, samples: new Map([['csat', 12]]) });
		expect((await call(ruleRoute.GET, ana, { params: { id: 'csat-low' } })).body).toMatchObject({
			rule: { state: 'nodata', value: 0, value_text: '0 %', note: 'too few to judge (12 CSAT ratings; 30 needed)' }
		});
		await evaluateAlerts(t.db, new Map([['csat', 0]]), { now: NOW + 1000, samples: new Map([['csat', 30]]) });
		expect((await call(ruleRoute.GET, ana, { params: { id: 'csat-low' } })).body).toMatchObject({ rule: { state: 'firing', note: null } });

		const cleared = await call(ruleRoute.PUT, ana, { method: 'PUT', params: { id: 'csat-low' }, body: csat({ min_sample: null }) });
		expect(cleared).toMatchObject({ status: 200, body: { rule: { definition: { min_sample: null } } } });
		for (const [body, message] of [
			[csat({ min_sample: 0 }), /^min_sample must be a whole number from 1 to 1,000,000/],
			[csat({ metric: 'active_customers', comparator: '<', threshold: 5, min_sample: 10 }), /^min_sample needs a metric that counts its observations.*Active customers has none/]
		] as const) {
			const r = await call(ruleRoute.PUT, ana, { method: 'PUT', params: { id: 'csat-low' }, body });
			expect(r).toEqual({ status: 422, body: { errors: [{ field: 'definition.min_sample', message: expect.stringMatching(message) }] } });
		}
		expect((await listRules(t.db))[0].definition).toMatchObject({ min_sample: null });
	});

	it('refuses unknown keys by name, at the top level and in definition', async () => {
		const r = await createRule(t.db, { ...csat({ bogus: 1 }), enabeld: false });
		expect(r.ok).toBe(false);
		if (!r.ok)
			expect(r.errors).toEqual(
				expect.arrayContaining([
					{ field: 'enabeld', message: 'unknown key "enabeld"' },
					{ field: 'definition.bogus', message: 'unknown key "bogus"' }
				])
			);
		const scopeKey = await createRule(t.db, csat({ scope: { kind: 'all', value: 'web' } }));
		expect(scopeKey).toMatchObject({
			ok: false,
			errors: [{ field: 'definition.scope.value', message: 'unknown key "value"' }]
		});
	});
});

describe('rules import', () => {
	it('needs the version the export writes', async () => {
		expect((await exportRules(t.db)).version).toBe(1);
		expect(await importRules(t.db, { version: 2, rules: [] })).toEqual({
			ok: false,
			errors: [{ field: 'version', message: expect.stringContaining('unsupported version 2') }]
		});
		expect(await importRules(t.db, { rules: [] })).toEqual({
			ok: false,
			errors: [{ field: 'version', message: expect.stringContaining('version is required') }]
		});
		expect(await importRules(t.db, { version: 1, rules: [] })).toEqual({ ok: true, value: { imported: 0 } });
	});

	it('refuses two rules with one id, naming the id and both indexes, and stores nothing', async () => {
		const r = await importRules(t.db, {
			version: 1,
			rules: [
				csat(),
				{ id: 'other', name: 'o', definition: { kind: 'tolerance' } },
				{ ...csat(), name: 'dup' }
			]
		});
		expect(r).toEqual({
			ok: false,
			errors: [
				{
					field: 'rules.2.id',
					message: expect.stringContaining('duplicate id "csat-low" (rules.0 and rules.2)')
				}
			]
		});
		expect(await listRules(t.db)).toEqual([]);
	});
});

describe('silences API', () => {
	const inAnHour = () => new Date(Date.now() + 3600_000).toISOString();

	it('answers snake_case ISO times and who created it', async () => {
		await createRule(t.db, csat());
		const r = await call(silencesRoute.POST, user('analyst'), {
			method: 'POST',
			body: { matcher: { rule_id: 'csat-low' }, ends_at: '2099-12-24T18:00:00Z', comment: 'xmas' }
		});
		expect(r.status).toBe(201);
		const s = (r.body as { silence: Record<string, unknown> }).silence;
		expect(s).toMatchObject({
			ends_at: '2099-12-24T18:00:00.000Z',
			created_by: 'analyst-user',
			comment: 'xmas',
			state: 'active'
		});
		expect(s.starts_at).toMatch(/^\d{4}-\d\d-\d\dT.*Z$/);
		expect(Object.keys(s)).not.toContain('endsAt');
		const list = await call(silencesRoute.GET, user('analyst'));
		expect((list.body as { silences: unknown[] }).silences).toEqual([s]);
	});

	it('accepts a date alone as 00:00 UTC', async () => {
		const r = await createSilence(t.db, { matcher: { kind: 'churn' }, ends_at: '2026-12-24' }, 'ann', NOW);
		expect(r).toMatchObject({ ok: true, value: { ends_at: '2026-12-24T00:00:00.000Z' } });
		expect(
			await createSilence(t.db, { matcher: { kind: 'churn' }, ends_at: 'Christmas' }, 'ann', NOW)
		).toMatchObject({
			ok: false,
			errors: [{ field: 'ends_at', message: expect.stringContaining('ISO-8601 date or timestamp') }]
		});
	});

	it('refuses matchers that name an unknown rule, kind or metric, or an unknown key', async () => {
		const end = inAnHour();
		expect(await createSilence(t.db, { matcher: { rule_id: 'nope' }, ends_at: end }, 'ann')).toEqual({
			ok: false,
			errors: [{ field: 'matcher.rule_id', message: 'no alert rule "nope"' }]
		});
		expect(await createSilence(t.db, { matcher: { kind: 'metrc' }, ends_at: end }, 'ann')).toMatchObject({
			ok: false,
			errors: [{ field: 'matcher.kind', message: expect.stringContaining('unknown kind "metrc"') }]
		});
		expect(
			await createSilence(t.db, { matcher: { metric: 'happiness' }, ends_at: end }, 'ann')
		).toMatchObject({
			ok: false,
			errors: [{ field: 'matcher.metric', message: expect.stringContaining('unknown metric "happiness"') }]
		});
		const misspelt = await createSilence(t.db, { matcher: { rule: 'csat-low' }, ends_at: end }, 'ann');
		expect(misspelt).toMatchObject({
			ok: false,
			errors: expect.arrayContaining([{ field: 'matcher.rule', message: 'unknown key "rule"' }])
		});
		expect(await t.db.one<{ n: number }>('SELECT count(*)::INTEGER AS n FROM silences')).toEqual({ n: 0 });
	});

	it('marks scheduled silences apart from active ones', async () => {
		await createSilence(
			t.db,
			{ matcher: { kind: 'churn' }, starts_at: '2026-06-02', ends_at: '2026-06-03' },
			'ann',
			NOW
		);
		await createSilence(t.db, { matcher: { kind: 'silent' }, ends_at: '2026-06-03' }, 'ann', NOW);
		const list = await listCurrentSilences(t.db, NOW);
		expect(list.map((s) => [s.matcher.kind, s.state])).toEqual([
			['silent', 'active'],
			['churn', 'scheduled']
		]);
	});

	it('DELETE ends a silence early (analyst or admin), 404 for an unknown one', async () => {
		const r = await call(silencesRoute.POST, user('admin'), {
			method: 'POST',
			body: { matcher: { kind: 'churn' }, ends_at: inAnHour() }
		});
		const id = (r.body as { silence: { id: string } }).silence.id;
		expect(
			(await call(silenceRoute.DELETE, user('retention'), { method: 'DELETE', params: { id } })).status
		).toBe(403);
		expect(
			(await call(silenceRoute.DELETE, key('analyst'), { method: 'DELETE', params: { id } })).status
		).toBe(204);
		expect(await listActiveSilences(t.db)).toEqual([]);
		expect(
			(await call(silenceRoute.DELETE, key('analyst'), { method: 'DELETE', params: { id } })).status
		).toBe(404);
		expect(
			(await call(silenceRoute.DELETE, user('admin'), { method: 'DELETE', params: { id: 'nope' } })).status
		).toBe(404);
		expect(await endSilence(t.db, 'nope')).toBe(false);
	});

	it('deleting a scheduled silence keeps its planned window and records who deleted it, and when', async () => {
		const r = await call(silencesRoute.POST, user('admin'), {
			method: 'POST',
			body: { matcher: { kind: 'churn' }, starts_at: '2030-01-02T10:00:00Z', ends_at: '2030-01-03T10:00:00Z' }
		});
		const id = (r.body as { silence: { id: string } }).silence.id;
		const before = Date.now();
		expect((await call(silenceRoute.DELETE, user('analyst'), { method: 'DELETE', params: { id } })).status).toBe(204);
		const [s] = await listSilences(t.db, 1);
		expect(s).toMatchObject({
			id,
			state: 'ended',
			starts_at: '2030-01-02T10:00:00.000Z',
			ends_at: '2030-01-03T10:00:00.000Z',
			ended_by: 'analyst-user'
		});
		expect(Date.parse(s.ended_at ?? '')).toBeGreaterThanOrEqual(before - 1000);
		expect(await listCurrentSilences(t.db)).toEqual([]);
	});

	it('ending a silence early keeps its planned end; it mutes nothing from ended_at on', async () => {
		const created = await createSilence(t.db, { matcher: { kind: 'churn' }, ends_at: '2026-06-01T18:00:00Z' }, 'ann', NOW);
		if (!created.ok) throw new Error('silence');
		const subject = { rule_id: 'churn-high', kind: 'churn', customer_id: 'C-1' };
		expect(isSilenced(await listActiveSilences(t.db, NOW), subject, NOW + 60_000)).toBe(true);
		expect(await endSilence(t.db, created.value.id, NOW + 60_000, 'bob')).toBe(true);
		expect(await endSilence(t.db, created.value.id, NOW + 120_000, 'eve')).toBe(false);
		expect(await listActiveSilences(t.db, NOW + 60_000)).toEqual([]);
		// Read with an earlier clock (a tick that began before the end), it mutes until ended_at only.
		const earlier = await listActiveSilences(t.db, NOW + 30_000);
		expect(isSilenced(earlier, subject, NOW + 30_000)).toBe(true);
		expect(isSilenced(earlier, subject, NOW + 60_000)).toBe(false);
		const [s] = await listSilences(t.db, 1, NOW + 120_000);
		expect(s).toMatchObject({
			state: 'ended',
			starts_at: new Date(NOW).toISOString(),
			ends_at: '2026-06-01T18:00:00.000Z',
			ended_at: new Date(NOW + 60_000).toISOString(),
			ended_by: 'bob'
		});
	});
});

describe('tolerance API', () => {
	it('takes and answers snake_case keys', async () => {
		const r = await call(toleranceRoute.PUT, user('admin'), {
			method: 'PUT',
			body: {
				segment: 'vip',
				half_life_days: 5,
				limit: 60,
				first_response_sla_hours: 4,
				weights: { complaint: 20 }
			}
		});
		expect(r.status).toBe(200);
		expect(r.body).toMatchObject({
			segment: 'vip',
			settings: { half_life_days: 5, limit: 60, first_response_sla_hours: 4, weights: { complaint: 20 } },
			debt_recompute: 'started'
		});
		// The vip customers' stored debt is recomputed behind the answer (none here).
		await debtRecomputeIdle();
		expect(debtRecomputeStatus()).toMatchObject({ state: 'done', segments: ['vip'], done: 0 });
		expect((await loadToleranceSettings(t.db)).get('vip')).toMatchObject({
			halfLifeDays: 5,
			firstResponseSlaHours: 4
		});
		const got = await getToleranceApi(t.db);
		expect(got.segments.find((s) => s.segment === 'vip')?.settings).toMatchObject({ half_life_days: 5 });
		expect(got.defaults).toMatchObject({ half_life_days: 30, first_response_sla_hours: 8 });
	});

	it('still reads the old camelCase spellings, but not both at once', async () => {
		expect(await putToleranceApi(t.db, { segment: 'old', halfLifeDays: 7 })).toMatchObject({
			ok: true,
			value: { settings: { half_life_days: 7 } }
		});
		expect(await putToleranceApi(t.db, { segment: 'old', halfLifeDays: 'x' })).toEqual({
			ok: false,
			errors: [{ field: 'halfLifeDays', message: 'must be a number (days)' }]
		});
		expect(await putToleranceApi(t.db, { segment: 'old', halfLifeDays: 7, half_life_days: 8 })).toMatchObject(
			{ ok: false, errors: [{ field: 'halfLifeDays' }] }
		);
	});

	it('refuses an unknown key by name instead of resetting the setting', async () => {
		expect(await putToleranceApi(t.db, { segment: 'vip', half_life: 5 })).toEqual({
			ok: false,
			errors: [{ field: 'half_life', message: 'unknown key "half_life"' }]
		});
		expect(await putToleranceApi(t.db, { segment: 'vip', weights: { complain: 3 } })).toMatchObject({
			ok: false,
			errors: [{ field: 'weights.complain', message: expect.stringContaining('unknown experience kind') }]
		});
		expect((await loadToleranceSettings(t.db)).has('vip')).toBe(false);
	});

	it('says a number field must be a number and weights must be an object', async () => {
		expect(await putToleranceApi(t.db, { segment: 'vip', half_life_days: 'x' })).toEqual({
			ok: false,
			errors: [{ field: 'half_life_days', message: 'must be a number (days)' }]
		});
		expect(await putToleranceApi(t.db, { segment: 'vip', half_life_days: 0 })).toEqual({
			ok: false,
			errors: [{ field: 'half_life_days', message: 'must be more than 0 and at most 3,650 days' }]
		});
		expect(await putToleranceApi(t.db, { segment: 'vip', weights: 'abc' })).toEqual({
			ok: false,
			errors: [{ field: 'weights', message: expect.stringContaining('weights must be an object') }]
		});
		expect(await putToleranceApi(t.db, { segment: 'vip', weights: { complaint: '3' } })).toEqual({
			ok: false,
			errors: [{ field: 'weights.complaint', message: 'must be a number (points)' }]
		});
		expect(await putToleranceApi(t.db, { half_life_days: 5 })).toMatchObject({
			ok: false,
			errors: [{ field: 'segment' }]
		});
	});
});

describe('tolerance API bounds, warnings and removal', () => {
	const put = (body: unknown) => call(toleranceRoute.PUT, user('admin'), { method: 'PUT', body });
	const del = (segment: string, p: Principal = user('admin')) =>
		call(toleranceSegmentRoute.DELETE, p, { method: 'DELETE', params: { segment } });

	it.each([
		['half_life_days', 3651, 'must be more than 0 and at most 3,650 days'],
		['half_life_days', 1e19, 'must be more than 0 and at most 3,650 days'],
		['limit', 1e308, 'must be more than 0 and at most 1,000,000 points'],
		['first_response_sla_hours', 8761, 'must be more than 0 and at most 8,760 hours']
	] as const)('refuses %s = %d with 422 naming the field and the range', async (field, value, message) => {
		expect(await put({ segment: 'vip', [field]: value })).toEqual({ status: 422, body: { errors: [{ field, message }] } });
		expect((await loadToleranceSettings(t.db)).has('vip')).toBe(false);
	});

	it('refuses a weight outside -1,000 to 1,000 points, either way', async () => {
		for (const w of [1e19, -1001])
			expect(await put({ segment: 'vip', weights: { complaint: w } })).toEqual({
				status: 422,
				body: { errors: [{ field: 'weights.complaint', message: 'must be from -1,000 to 1,000 points' }] }
			});
		expect((await loadToleranceSettings(t.db)).has('vip')).toBe(false);
	});

	it('saves every value at its bound', async () => {
		const r = await put({ segment: 'vip', half_life_days: 3650, limit: 1_000_000, first_response_sla_hours: 8760, weights: { complaint: 1000, praise: -1000 } });
		expect(r.status).toBe(200);
		expect((await loadToleranceSettings(t.db)).get('vip')).toMatchObject({
			halfLifeDays: 3650,
			limit: 1_000_000,
			firstResponseSlaHours: 8760,
			weights: { complaint: 1000, praise: -1000 }
		});
		await debtRecomputeIdle();
	});

	it('keeps a segment no customer is in, and warns that names match exactly', async () => {
		await insertCustomers(t.db, [aCustomer().withId('c1').inSegment('vip').build(), aCustomer().withId('c2').inSegment('smb').build()]);
		const r = await put({ segment: 'VIP', limit: 50 });
		expect(r).toMatchObject({
			status: 200,
			body: { segment: 'VIP', warning: 'no customer is in segment VIP yet; segments are matched exactly, case included: known segments are smb, vip' }
		});
		expect((await put({ segment: 'vip', limit: 50 })).body).not.toHaveProperty('warning');
		await debtRecomputeIdle();
	});

	it("DELETE removes a segment's row, recomputes its customers with * and is audited; 404 unknown, 422 for *", async () => {
		expect((await put({ segment: 'vip', limit: 50 })).status).toBe(200);
		await debtRecomputeIdle();
		expect(await del('vip', user('analyst'))).toMatchObject({ status: 403 });
		expect(await del('vip')).toEqual({ status: 200, body: { segment: 'vip', removed: true, debt_recompute: 'started' } });
		expect((await loadToleranceSettings(t.db)).has('vip')).toBe(false);
		await debtRecomputeIdle();
		expect(debtRecomputeStatus()).toMatchObject({ state: 'done', segments: ['vip'] });
		expect((await listAudit(t.db)).map((a) => `${a.action} ${a.subject}`)).toContain('tolerance.delete vip');
		expect(await del('vip')).toMatchObject({ status: 404, body: { message: 'segment vip has no tolerance settings of its own' } });
		expect(await del('*')).toMatchObject({ status: 422, body: { errors: [{ field: 'segment', message: expect.stringContaining('cannot be removed') }] } });
	});
});

describe('delivery log', () => {
	it('takes a limit from 1 to 1000 and refuses other parameters', async () => {
		const get = async (qs: string) => {
			const url = new URL(`http://x/api/v1/alerts/deliveries${qs}`);
			const r = await deliveriesRoute.GET({ locals: { principal: user('analyst') }, url, request: new Request(url), params: {} } as never);
			return { status: r.status, body: (await r.json()) as Record<string, unknown> };
		};
		expect(await get('?limit=2')).toMatchObject({ status: 200, body: { deliveries: [] } });
		expect(await get('?limit=0')).toMatchObject({ status: 400, body: { error: expect.stringContaining('limit must be') } });
		expect(await get('?since=x')).toMatchObject({ status: 400, body: { error: expect.stringContaining('unknown parameter since') } });
	});
});

describe('audit log of alert configuration', () => {
	it('records who created, changed and removed rules, silences, webhooks and tolerance, without the webhook secret', async () => {
		const ana = user('analyst');
		expect((await call(rulesRoute.POST, ana, { method: 'POST', body: csat() })).status).toBe(201);
		expect((await call(ruleRoute.PUT, key('analyst'), { method: 'PUT', body: csat({ threshold: 40 }), params: { id: 'csat-low' } })).status).toBe(200);
		const silence = await call(silencesRoute.POST, ana, { method: 'POST', body: { matcher: { rule_id: 'csat-low' }, ends_at: new Date(Date.now() + 3600_000).toISOString() } });
		expect(silence.status).toBe(201);
		const silenceId = (silence.body as { silence: { id: string } }).silence.id;
		expect((await call(silenceRoute.DELETE, ana, { method: 'DELETE', params: { id: silenceId } })).status).toBe(204);
		expect((await call(destinationsRoute.POST, ana, { method: 'POST', body: { name: 'slack', url: SECRET_URL } })).status).toBe(201);
		expect((await call(ruleRoute.DELETE, ana, { method: 'DELETE', params: { id: 'csat-low' } })).status).toBe(204);
		expect((await call(toleranceRoute.PUT, user('admin'), { method: 'PUT', body: { segment: 'vip', limit: 60 } })).status).toBe(200);
		const log = (await listAudit(t.db)).reverse();
		expect(log.map((a) => `${a.actor} ${a.action} ${a.subject}`)).toEqual([
			'analyst-user alert-rule.create csat-low',
			'key:analyst-key alert-rule.update csat-low',
			`analyst-user silence.create ${silenceId}`,
			`analyst-user silence.end ${silenceId}`,
			'analyst-user webhook.create slack',
			'analyst-user alert-rule.delete csat-low',
			'admin-user tolerance.update vip'
		]);
		expect(log[4].detail).toMatchObject({ host: 'hooks.slack.com' });
		expect(JSON.stringify(log)).not.toContain('SECRET');
	});
});
