// The ticker recomputes only when a batch was committed (or the minute rolled over) and fans one
// payload out to every subscriber.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDb, type TempDb } from '../helpers/temp-db';
import { appendEvents } from '../fixtures/alerts-db';
import { aStoredEvent } from '../fixtures/alerts';
import { rollupApplier } from '../../src/lib/server/metrics/rollup-applier';
import { LiveHub, type Frame } from '../../src/lib/server/live/hub';
import { Ticker } from '../../src/lib/server/live/ticker';
import type { TilesPayload } from '../../src/lib/shared/live-events';

let t: TempDb;
beforeEach(async () => {
	t = await tempDb();
});
afterEach(async () => {
	await t.cleanup();
});

describe('Ticker', () => {
	it('computes once per change and sends the same bytes to every subscriber', async () => {
		const hub = new LiveHub();
		const pinned = Date.now();
		const ticker = new Ticker(t.db, 60_000, { inactivityDays: 30, lostBy: 'either' }, hub, () => pinned);
		const a: Frame[] = [];
		const b: Frame[] = [];
		hub.subscribe((f) => a.push(f));
		hub.subscribe((f) => b.push(f));
		const release = ticker.watch({ window: '1h', channel: null, segment: null });
		await ticker.tick();
		await ticker.tick();
		expect(ticker.computations).toBe(1);
		await appendEvents(t.db, [aStoredEvent().withType('survey_csat').withRating(5).at(new Date()).build()], [rollupApplier]);
		await ticker.tick();
		await ticker.tick();
		expect(ticker.computations).toBe(2);
		const tiles = a.filter((f) => f.event === 'tiles');
		expect(tiles).toHaveLength(2);
		expect(b.filter((f) => f.event === 'tiles').map((f) => f.bytes)).toEqual(tiles.map((f) => f.bytes));
		const payload = JSON.parse(new TextDecoder().decode(tiles[1].bytes).split('data: ')[1]) as TilesPayload;
		expect(payload.sets['1h||'].tiles.find((x) => x.id === 'csat')?.value).toBe(100);

		release();
		await appendEvents(t.db, [aStoredEvent().withType('visit').at(new Date()).build()], [rollupApplier]);
		await ticker.tick();
		expect(ticker.computations).toBe(2); // nobody watches: nothing computed
	});
});
