import { describe, expect, it } from 'vitest';
import type { Principal, Role } from '../../shared/auth-types';
import { viewFor, type View } from './audience';
import { LiveHub } from './hub';
import { createSseResponse } from './sse';

const user = (role: Role): Principal => ({ kind: 'user', userId: 'u', username: 'u', role, sessionId: 's' });
const text = (b: Uint8Array | undefined) => new TextDecoder().decode(b);

describe('createSseResponse', () => {
	it('replays what a client missed, then streams live, and unsubscribes on cancel or abort', async () => {
		const hub = new LiveHub();
		const seen = hub.publish('heartbeat', { at: 'a', version: 1 });
		hub.publish('heartbeat', { at: 'b', version: 2 });
		let released = 0;
		const abort = new AbortController();
		const res = createSseResponse({
			hub,
			lastEventId: seen.id,
			signal: abort.signal,
			onOpen: () => () => (released += 1)
		});
		expect(res.headers.get('x-accel-buffering')).toBe('no');
		const reader = res.body!.getReader();
		expect(text((await reader.read()).value)).toBe('retry: 2000\n\n');
		expect(text((await reader.read()).value)).toContain('"at":"b"');
		expect(hub.subscriberCount).toBe(1);
		await reader.read(); // connect-time heartbeat
		hub.publish('heartbeat', { at: 'c', version: 3 });
		expect(text((await reader.read()).value)).toContain('"at":"c"');
		await reader.cancel();
		expect(hub.subscriberCount).toBe(0);
		expect(released).toBe(1);

		const abort2 = new AbortController();
		createSseResponse({ hub, lastEventId: null, signal: abort2.signal, onOpen: () => () => (released += 1) });
		expect(hub.subscriberCount).toBe(1);
		abort2.abort();
		expect(hub.subscriberCount).toBe(0);
		expect(released).toBe(2);
		abort.abort();
	});

	it('sends customer-level events only to viewers allowed to see customers, training only to model users', async () => {
		const at = new Date().toISOString();
		const publishAll = (hub: LiveHub) => {
			hub.publish('score', {
				modelVersion: 'v0001',
				at,
				scores: [{ customerId: 'c-secret', probability: 0.9, band: 'high' }]
			});
			hub.publish('workitem', {
				id: 'w1',
				customerId: 'c-secret',
				status: 'open',
				assignee: null,
				priority: 1,
				at,
				openItems: 1
			});
			hub.publish('alert', {
				ruleId: 'r1',
				name: 'tolerance',
				state: 'firing',
				previousState: 'normal',
				metric: null,
				customerId: 'c-secret',
				value: 1,
				at
			});
			hub.publish('alert', {
				ruleId: 'r2',
				name: 'CSAT low',
				state: 'firing',
				previousState: 'normal',
				metric: 'csat',
				customerId: null,
				value: 0.5,
				at
			});
			hub.publish('train-progress', {
				runId: 'run1',
				phase: 'training',
				epoch: 1,
				epochs: 3,
				loss: 0.5,
				valLoss: 0.6,
				message: null
			});
			hub.publish('tiles', { sets: {} });
		};
		const received = async (view: View) => {
			const hub = new LiveHub();
			const abort = new AbortController();
			const res = createSseResponse({ hub, lastEventId: null, signal: abort.signal, view });
			publishAll(hub);
			abort.abort();
			const body = await new Response(res.body).text();
			return [...body.matchAll(/^event: (.+)$/gm)].map((m) => m[1]).filter((e) => e !== 'heartbeat');
		};
		const wall = await received(viewFor({ kind: 'display', board: 'main', tokenId: 't' }));
		expect(wall).toEqual(['alert', 'tiles']);
		const executive = await received(viewFor(user('executive')));
		expect(executive).toEqual(['alert', 'tiles']);
		const retention = await received(viewFor(user('retention')));
		expect(retention).toEqual(['score', 'workitem', 'alert', 'alert', 'tiles']);
		const analystKey = await received(viewFor({ kind: 'api-key', keyId: 'k', name: 'k', scope: 'analyst' }));
		expect(analystKey).toEqual(['score', 'workitem', 'alert', 'alert', 'train-progress', 'tiles']);
		expect(await received(viewFor(user('admin')))).toEqual(analystKey);
	});

	it('starts a new connection with the latest tiles and firing list, to walls as well', async () => {
		const hub = new LiveHub();
		hub.publish('firing', { alerts: [] });
		const csat = { rule_id: 'r2', name: 'CSAT low', metric: 'csat', value: 61.5, window: '24 h', since: '2026-01-01T00:00:00.000Z' };
		hub.publish('firing', { alerts: [csat] });
		hub.publish('tiles', { sets: {} });
		hub.publish('heartbeat', { at: 'x', version: 1 });
		const abort = new AbortController();
		const res = createSseResponse({ hub, lastEventId: null, signal: abort.signal, view: viewFor({ kind: 'display', board: 'main', tokenId: 't' }) });
		abort.abort();
		const body = await new Response(res.body).text();
		expect([...body.matchAll(/^event: (.+)$/gm)].map((m) => m[1])).toEqual(['tiles', 'firing', 'heartbeat']);
		const data = body.split('\n').find((l) => l.startsWith('data: {"alerts"'));
		expect(JSON.parse(data!.slice('data: '.length))).toEqual({ alerts: [csat] });
	});
});
