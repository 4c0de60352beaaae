// Group commit: requests that arrive while a transaction is running wait and are then committed
// together in the next one. Each commit has a large fixed cost (WAL sync, every applier's statements),
// so sharing it lifts throughput under concurrent load, while a lone request still commits at once.
// Every request keeps its own answer: counts per request, and a request is only resolved after the
// transaction holding it has committed.
import type { Db } from '../db';
import { commitStage, type CommitCounts } from './commit';
import { appendToStage, createStage, dedupeBatches, STAGE_TABLE, type StagedBatch } from './stage';
import { tuneForIngest } from './tuning';

/** A group stops growing at this many events (bounds latency and memory of one transaction). */
export const MAX_GROUP_EVENTS = 50_000;

interface Waiting extends StagedBatch {
	received: number;
	resolve: (c: CommitCounts) => void;
	reject: (e: unknown) => void;
}

interface Queue {
	waiting: Waiting[];
	running: boolean;
}

const queues = new WeakMap<Db, Queue>();

async function commitGroup(db: Db, group: readonly Waiting[]): Promise<CommitCounts[]> {
	const staged = dedupeBatches(group);
	await tuneForIngest(db);
	return db.write(async (conn) => {
		await createStage(conn);
		try {
			await appendToStage(conn, staged, new Date());
			return await commitStage(conn, { received: group.map((g) => g.received) });
		} finally {
			await conn.run(`DROP TABLE IF EXISTS ${STAGE_TABLE}`).catch(() => undefined);
		}
	});
}

function takeGroup(q: Queue): Waiting[] {
	const group: Waiting[] = [];
	let n = 0;
	while (q.waiting.length && (group.length === 0 || n + q.waiting[0].events.length <= MAX_GROUP_EVENTS)) {
		const w = q.waiting.shift()!;
		n += w.events.length;
		group.push(w);
	}
	return group;
}

async function drain(db: Db, q: Queue): Promise<void> {
	q.running = true;
	try {
		while (q.waiting.length) {
			const group = takeGroup(q);
			try {
				const counts = await commitGroup(db, group);
				group.forEach((w, i) => w.resolve(counts[i]));
			} catch (e) {
				if (group.length === 1) {
					group[0].reject(e);
					continue;
				}
				// One request must not fail the others: retry each alone.
				for (const w of group) {
					try {
						w.resolve((await commitGroup(db, [w]))[0]);
					} catch (e1) {
						w.reject(e1);
					}
				}
			}
		}
	} finally {
		q.running = false;
	}
}

/** Commits one request's validated events (possibly together with concurrent requests). */
export function commitBatch(db: Db, batch: StagedBatch, received: number): Promise<CommitCounts> {
	let q = queues.get(db);
	if (!q) {
		q = { waiting: [], running: false };
		queues.set(db, q);
	}
	const queue = q;
	const done = new Promise<CommitCounts>((resolve, reject) => {
		queue.waiting.push({ ...batch, received, resolve, reject });
	});
	if (!queue.running) void drain(db, queue);
	return done;
}
