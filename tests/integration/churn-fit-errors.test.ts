// A fit on data it cannot learn from says why, with the figures a user can check.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fitChurnModel } from '../../src/lib/server/churn/fit';
import { ingestEvents } from '../../src/lib/server/ingest';
import type { EventInput } from '../../src/lib/shared/events';
import { tempDb, type TempDb } from '../helpers/temp-db';

let t: TempDb;
const DAY = 86_400_000;

beforeAll(async () => {
	t = await tempDb();
	// 1,200 customers who each buy every 3 days from January to June: nobody is ever inactive for 30 days.
	const start = Date.parse('2024-01-01T00:00:00Z');
	const events: EventInput[] = [];
	for (let c = 0; c < 1200; c++) {
		for (let d = c % 3; d < 180; d += 3) events.push({ event_id: `e${c}-${d}`, customer_id: `c${c}`, occurred_at: new Date(start + d * DAY), type: 'purchase', channel: 'web', value: 10 });
	}
	expect((await ingestEvents(t.db, events, { source: 'test', now: new Date('2024-07-01T00:00:00Z') })).ok).toBe(true);
}, 60_000);

afterAll(async () => {
	await t.cleanup();
});

describe('fitChurnModel on one class', () => {
	it('says nobody churned, with the number of customer snapshots', async () => {
		const r = await fitChurnModel(t.db, { asOf: new Date('2024-05-01T00:00:00Z'), horizonDays: 30, definition: 'inactivity' });
		expect(r.ok).toBe(false);
		expect(!r.ok && r.error).toMatch(
			/^the training data has no churned customers \(\d{1,3}(,\d{3})+ customer rows in \d snapshots, inactivity\); cannot learn from one class$/
		);
	}, 60_000);

	it('a cutoff past the end of the data says where the data ends', async () => {
		const r = await fitChurnModel(t.db, { asOf: new Date('2024-12-01T00:00:00Z'), horizonDays: 30, definition: 'inactivity' });
		expect(!r.ok && r.error).toMatch(
			/^the (training|validation) data has only churned customers \(.*\); cannot learn from one class; the labels run to 2024-12-30 but the last event is on 2024-06-28: an earlier cutoff would give whole label windows$/
		);
	}, 60_000);

	it('an empty database says so', async () => {
		const empty = await tempDb();
		try {
			const r = await fitChurnModel(empty.db, { asOf: new Date('2024-12-01T00:00:00Z'), horizonDays: 30, definition: 'inactivity' });
			expect(!r.ok && r.error).toBe('the database has no events: import or stream some first');
		} finally {
			await empty.cleanup();
		}
	});
});
