import { describe, expect, it } from 'vitest';
import type { Principal, Role } from '../../shared/auth-types';
import { decideRoute, mayOpenPage, navFor, safeNextPath } from './route-policy';

const user = (role: Role): Principal => ({ kind: 'user', userId: 'u', username: 'x', role, sessionId: 's' });
const key = (scope: Extract<Principal, { kind: 'api-key' }>['scope']): Principal => ({ kind: 'api-key', keyId: 'k', name: 'k', scope });
const display: Principal = { kind: 'display', tokenId: 't', board: 'main' };

describe('route policy', () => {
	it.each([
		['GET', '/login'],
		['POST', '/login'],
		['GET', '/api/v1/health'],
		['GET', '/_app/immutable/entry/start.js'],
		['GET', '/favicon.png']
	])('lets anonymous %s %s through', (m, p) => {
		expect(decideRoute(null, m, p)).toEqual({ kind: 'allow' });
	});

	it.each(['/', '/alerts', '/settings', '/customers/c1', '/metrics/csat'])('sends anonymous %s to sign in', (p) => {
		expect(decideRoute(null, 'GET', p)).toEqual({ kind: 'login' });
	});

	it.each(['/api/v1/metrics', '/api/v1/events', '/api/v1/me'])('answers anonymous %s with 401', (p) => {
		expect(decideRoute(null, 'GET', p)).toMatchObject({ kind: 'deny', status: 401 });
	});

	it('lets display tokens reach walls and GET metrics/stream only', () => {
		expect(decideRoute(display, 'GET', '/wall/main')).toEqual({ kind: 'allow' });
		expect(decideRoute(display, 'GET', '/api/v1/metrics')).toEqual({ kind: 'allow' });
		expect(decideRoute(display, 'GET', '/api/v1/stream')).toEqual({ kind: 'allow' });
		// HEAD reads what GET reads (monitors probe walls and the metrics API with it).
		expect(decideRoute(display, 'HEAD', '/api/v1/metrics')).toEqual({ kind: 'allow' });
		expect(decideRoute(display, 'POST', '/api/v1/metrics')).toMatchObject({ kind: 'deny', status: 403 });
		expect(decideRoute(display, 'GET', '/api/v1/customers')).toMatchObject({ kind: 'deny', status: 403 });
		expect(decideRoute(display, 'POST', '/api/v1/events')).toMatchObject({ kind: 'deny', status: 403 });
		expect(decideRoute(display, 'GET', '/')).toMatchObject({ kind: 'deny', status: 403 });
		expect(decideRoute(display, 'GET', '/settings')).toMatchObject({ kind: 'deny', status: 403 });
	});

	it('keeps API keys off pages and walls', () => {
		expect(decideRoute(key('admin'), 'GET', '/settings')).toMatchObject({ kind: 'deny', status: 403 });
		expect(decideRoute(key('executive'), 'GET', '/wall/main')).toMatchObject({ kind: 'deny', status: 403 });
		expect(decideRoute(key('ingest'), 'POST', '/api/v1/events')).toEqual({ kind: 'allow' });
	});

	const pages: [Role, string, boolean][] = [
		['admin', '/settings', true],
		['admin', '/models', true],
		['analyst', '/', true],
		['analyst', '/customers/c1', true],
		['analyst', '/models', true],
		['analyst', '/alerts', true],
		['analyst', '/settings', false],
		['retention', '/alerts', true],
		['retention', '/customers', true],
		['retention', '/models', false],
		['executive', '/', true],
		['executive', '/metrics/csat', true],
		['executive', '/wall/main', true],
		['executive', '/customers', false],
		['executive', '/alerts', false],
		['executive', '/settings', false],
		['executive', '/settingsx', true]
	];
	it.each(pages)('%s may open %s: %s', (role, path, allowed) => {
		expect(decideRoute(user(role), 'GET', path).kind).toBe(allowed ? 'allow' : 'deny');
		if (!path.startsWith('/wall')) expect(mayOpenPage(role, path)).toBe(allowed);
	});

	it('says settings are for administrators', () => {
		expect(decideRoute(user('executive'), 'GET', '/settings')).toEqual({ kind: 'deny', status: 403, message: 'Settings are for administrators only.' });
	});

	it('shows each role only the navigation it may open', () => {
		expect(navFor('admin').map((n) => n.label)).toEqual(['Overview', 'Alerts', 'Customers', 'Models', 'Walls', 'Settings']);
		expect(navFor('analyst').map((n) => n.label)).toEqual(['Overview', 'Alerts', 'Customers', 'Models', 'Walls']);
		expect(navFor('retention').map((n) => n.label)).toEqual(['Overview', 'Alerts', 'Customers', 'Walls']);
		expect(navFor('executive').map((n) => n.label)).toEqual(['Overview', 'Walls']);
	});

	it.each([
		['/alerts?x=1', '/alerts?x=1'],
		[null, '/'],
		['https://evil.example', '/'],
		['//evil.example/x', '/'],
		['/\\evil.example', '/'],
		['javascript:alert(1)', '/'],
		['/login?next=/x', '/'],
		['/a\nb', '/']
	])('restricts next=%j to local paths (%s)', (raw, want) => {
		expect(safeNextPath(raw)).toBe(want);
	});
});
