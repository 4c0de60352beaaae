import { describe, expect, it } from 'vitest';
import { LiveHub, type Frame } from './hub';

const text = (b: Uint8Array) => new TextDecoder().decode(b);

describe('LiveHub', () => {
	it('serializes once and delivers the same bytes to every subscriber', () => {
		const hub = new LiveHub();
		const got: Uint8Array[][] = [[], []];
		got.forEach((g) => hub.subscribe((f) => g.push(f.bytes)));
		hub.publish('heartbeat', { at: 'x', version: 1 });
		expect(got[0][0]).toBe(got[1][0]);
		expect(text(got[0][0])).toMatch(/^id: .+\nevent: heartbeat\ndata: \{"at":"x","version":1\}\n\n$/);
	});

	it('replays frames after a known id and refuses ids it cannot replay exactly', () => {
		const hub = new LiveHub(3);
		const ids = [1, 2, 3, 4, 5].map((v) => hub.publish('heartbeat', { at: 'x', version: v }).id!);
		expect(hub.framesAfter(ids[3])!.map((f) => f.id)).toEqual([ids[4]]);
		expect(hub.framesAfter(ids[1])!.map((f) => f.id)).toEqual([ids[2], ids[3], ids[4]]);
		expect(hub.framesAfter(ids[0])).toBeNull();
		expect(hub.framesAfter(ids[4])).toEqual([]);
		expect(hub.framesAfter('other-3')).toBeNull();
	});

	it('keeps heartbeats out of the ring', () => {
		const hub = new LiveHub();
		const a = hub.publish('heartbeat', { at: 'x', version: 1 });
		const got: Frame[] = [];
		hub.subscribe((f) => got.push(f));
		hub.heartbeat('y');
		const b = got[0];
		expect(b.id).toBeNull();
		expect(hub.framesAfter(a.id!)).toEqual([]);
	});

	it('numbers each view of the stream without gaps, and resumes each within its own view', () => {
		const hub = new LiveHub();
		const at = 'x';
		const wall: Frame[] = [];
		hub.subscribe((f) => wall.push(f), 'public');
		hub.publish('tiles', { sets: {} });
		hub.publish('score', {
			modelVersion: 'v0001',
			at,
			scores: [{ customerId: 'c1', probability: 0.9, band: 'high' }]
		});
		const second = hub.publish('tiles', { sets: {} });
		hub.heartbeat(at);
		expect(wall.map((f) => f.event)).toEqual(['tiles', 'tiles', 'heartbeat']);
		expect(wall.map((f) => f.seq)).toEqual([1, 2, 2]);
		expect(text(wall[2].bytes)).toContain('"version":2');
		// The widest view saw three frames; the wall's ids are its own and are not valid elsewhere.
		expect(second.seq).toBe(3);
		expect(hub.framesAfter(wall[0].id!, 'public')!.map((f) => f.id)).toEqual([wall[1].id]);
		expect(hub.framesAfter(wall[0].id!, 'all')).toBeNull();
		expect(hub.latestFrame('score', 'public')).toBeUndefined();
		expect(hub.latestFrame('score', 'customers')?.event).toBe('score');
	});
});
