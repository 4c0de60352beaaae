// Rules that could never get a value are refused when saved: a segment no customer carries, a
// threshold outside the metric's range (API answers 422 {errors:[{field, message}]}).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { overrideConfig } from '../../src/lib/server/config';
import { createRule, importRules, listRules, updateRule } from '../../src/lib/server/alerts/rules';
import type { Principal } from '../../src/lib/shared/auth-types';
import * as rulesRoute from '../../src/routes/api/v1/alerts/rules/+server';
import * as previewRoute from '../../src/routes/api/v1/alerts/rules/preview/+server';
import { aCustomer } from '../fixtures/alerts';
import { insertCustomers } from '../fixtures/alerts-db';
import { tempDb, type TempDb } from '../helpers/temp-db';

let t: TempDb;
const analyst: Principal = { kind: 'user', userId: 'a', username: 'ana', role: 'analyst', sessionId: 's' };
const rule = (scope: unknown, extra: Record<string, unknown> = {}) => ({
	id: 'seg-csat',
	name: 'CSAT low in a segment',
	definition: { kind: 'metric', metric: 'csat', scope, comparator: '<', threshold: 70, ...extra }
});

beforeEach(async () => {
	t = await tempDb();
	overrideConfig({ dbPath: t.path });
	await insertCustomers(t.db, [aCustomer().withId('a').inSegment('enterprise').build(), aCustomer().withId('b').inSegment('smb').build()]);
});
afterEach(async () => t.cleanup());

async function post(h: (e: never) => Promise<Response> | Response, body: unknown) {
	const request = new Request('http://x/api', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
	const r = await h({ locals: { principal: analyst }, request, params: {}, url: new URL(request.url) } as never);
	return { status: r.status, body: (await r.json()) as { errors?: { field: string; message: string }[] } };
}

describe('segment scopes', () => {
	it('refuses a segment no customer carries with a 422 naming the field and the known segments', async () => {
		const r = await post(rulesRoute.POST, rule({ kind: 'segment', value: 'nonexistent-seg' }));
		expect(r.status).toBe(422);
		expect(r.body.errors).toEqual([
			{
				field: 'definition.scope.value',
				message: 'unknown segment "nonexistent-seg": no customer carries it and it has no tolerance settings, so the rule would never get a value; known segments: default, enterprise, smb'
			}
		]);
		expect(await listRules(t.db)).toEqual([]);
	});

	it('accepts a segment with tolerance settings before any customer carries it', async () => {
		await t.db.run(`INSERT INTO tolerance_settings (segment, weights, tolerance_limit) VALUES ('wholesale', '{}', 40)`);
		expect((await post(rulesRoute.POST, rule({ kind: 'segment', value: 'wholesale' }))).status).toBe(201);
	});

	it('accepts a segment customers carry, and default', async () => {
		expect((await post(rulesRoute.POST, rule({ kind: 'segment', value: 'enterprise' }))).status).toBe(201);
		expect((await createRule(t.db, { ...rule({ kind: 'segment', value: 'default' }), id: 'def' })).ok).toBe(true);
	});

	it('is checked on update and import as well (import stores nothing)', async () => {
		expect((await createRule(t.db, rule({ kind: 'all' }))).ok).toBe(true);
		expect(await updateRule(t.db, 'seg-csat', rule({ kind: 'segment', value: 'gone' }))).toMatchObject({
			ok: false,
			errors: [{ field: 'definition.scope.value', message: expect.stringContaining('unknown segment "gone"') }]
		});
		const imported = await importRules(t.db, {
			version: 1,
			rules: [{ ...rule({ kind: 'segment', value: 'smb' }), id: 'ok' }, { ...rule({ kind: 'segment', value: 'gone' }), id: 'bad' }]
		});
		expect(imported).toMatchObject({ ok: false, errors: [{ field: 'rules.1.definition.scope.value' }] });
		expect((await listRules(t.db)).map((r) => r.id)).toEqual(['seg-csat']);
	});

	it('an unknown channel is a 422 naming the field', async () => {
		const r = await post(rulesRoute.POST, rule({ kind: 'channel', value: 'fax' }));
		expect(r.status).toBe(422);
		expect(r.body.errors).toEqual([{ field: 'definition.scope.value', message: expect.stringContaining('unknown channel "fax"') }]);
	});

	it('the preview refuses an unknown segment and an out-of-range threshold too', async () => {
		const seg = await post(previewRoute.POST, { definition: rule({ kind: 'segment', value: 'nonexistent-seg' }).definition });
		expect(seg.status).toBe(422);
		expect(seg.body.errors).toEqual([{ field: 'definition.scope.value', message: expect.stringContaining('unknown segment') }]);
		const range = await post(previewRoute.POST, { definition: rule({ kind: 'all' }, { threshold: 150 }).definition });
		expect(range.status).toBe(422);
		expect(range.body.errors).toEqual([{ field: 'definition.threshold', message: expect.stringContaining('from 0 to 100 %') }]);
	});

	it('the preview says in words that customer rules have no 24 h to replay, and where their matches are', async () => {
		for (const definition of [{ kind: 'churn', min_risk_band: 'high' }, { kind: 'tolerance' }, { kind: 'silent', min_monthly_value: 200, days: 30 }]) {
			const r = await post(previewRoute.POST, { definition });
			expect(r.status, definition.kind).toBe(422);
			expect(r.body.errors, definition.kind).toEqual([
				{
					field: 'definition.kind',
					message: `preview works for metric rules; ${definition.kind} rules fire per customer — the Alert rules list on the Alerts page shows how many customers such a rule matches now, and the work list there an item for each`
				}
			]);
		}
		// Any other kind is still refused as saving it would be.
		const other = await post(previewRoute.POST, { definition: { kind: 'weather' } });
		expect(other.status).toBe(422);
		expect(other.body.errors?.[0]?.field).toBe('definition.kind');
		expect(other.body.errors?.[0]?.message).not.toContain('preview works');
	});
});

describe('thresholds through the API', () => {
	it.each([
		['csat', 150],
		['csat', -20],
		['nps', 500]
	])('%s threshold %s is a 422', async (metric, threshold) => {
		const r = await post(rulesRoute.POST, { name: 'x', definition: { kind: 'metric', metric, comparator: '<', threshold } });
		expect(r.status).toBe(422);
		expect(r.body.errors?.[0]?.field).toBe('definition.threshold');
	});
});
