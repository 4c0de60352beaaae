// Brings rollup_activity's previous-activity pointers up to date with rollup_customer_minute. Not in
// the ingest transaction: linking costs a dozen statements, which per 5,000-event batch more than
// doubled the rollup applier (measured), so ingest only stamps each rollup_customer_minute row with the
// rollup_version it commits and the churn tile catches up on the rows stamped since its watermark,
// once for however many batches arrived since the last tick.
// In time order a new record's predecessor is the customer's latest record (rollup_activity_last). A
// late record also changes the predecessor of the customer's next stored record, so every stored
// record of a caught-up customer at or after its earliest new minute (the "tail", usually empty) is
// re-linked with the new ones.
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Db } from '../db';

/** One pointer per scope a tile can ask for: all, channel, segment, channel and segment. */
/** One pointer per scope a tile can ask for; `kind` is its rows' kind in rollup_activity_last. */
export const VARIANTS = [
	{ col: 'p_cs', kind: 0, part: 'customer_id, channel, segment', order: 'minute', ch: 'channel', seg: 'segment' },
	{ col: 'p_ch', kind: 1, part: 'customer_id, channel', order: 'minute, segment', ch: 'channel', seg: "''" },
	{ col: 'p_seg', kind: 2, part: 'customer_id, segment', order: 'minute, channel', ch: "''", seg: 'segment' },
	{ col: 'p_all', kind: 3, part: 'customer_id', order: 'minute, channel, segment', ch: "''", seg: "''" }
] as const;

const uCol = (c: string) => (c.startsWith("'") ? c : `u.${c}`);

// Per partition: the first record's predecessor is the stored predecessor of the first tail record
// when the partition has tail records (the smallest stored pointer among them, unless one is NULL:
// only a partition's very first record has none), else the partition's latest stored minute.
const qualify = (cols: string) => cols.split(', ').map((c) => `u.${c}`).join(', ');
const using = (v: (typeof VARIANTS)[number]) => `USING (${v.part})`;
const SEEDS = VARIANTS.map(
	(v) => `s${v.kind} AS (
	SELECT ${qualify(v.part)}, CASE WHEN count(*) FILTER (WHERE u.old) = 0 THEN any_value(l.minute)
		WHEN count(u.${v.col}) FILTER (WHERE u.old) < count(*) FILTER (WHERE u.old) THEN NULL
		ELSE min(u.${v.col}) FILTER (WHERE u.old) END AS seed
	FROM u LEFT JOIN _ra_lc l ON l.customer_id = u.customer_id AND l.kind = ${v.kind}
		AND l.channel = ${uCol(v.ch)} AND l.segment = ${uCol(v.seg)}
	GROUP BY ${qualify(v.part)})`
).join(',\n');
const LINK = VARIANTS.map(
	(v) => `coalesce(lag(u.minute) OVER (PARTITION BY ${qualify(v.part)} ORDER BY ${qualify(v.order)}), s${v.kind}.seed) AS ${v.col}`
).join(',\n\t');

const KEYS = `
CREATE OR REPLACE TEMP TABLE _ra_k AS
SELECT DISTINCT minute, customer_id, channel, segment FROM rollup_customer_minute
WHERE ver > $done AND ver <= $upto AND acts > 0`;

const TAIL = `
CREATE OR REPLACE TEMP TABLE _ra_tail AS
SELECT a.* FROM rollup_activity a
JOIN (SELECT customer_id, min(minute) AS m0 FROM _ra_k GROUP BY customer_id) m
	ON a.customer_id = m.customer_id AND a.minute >= m.m0
WHERE a.minute >= $gmin::TIMESTAMP`;

const LAST_OF_BATCH_CUSTOMERS = `
CREATE OR REPLACE TEMP TABLE _ra_lc AS
SELECT l.* FROM rollup_activity_last l SEMI JOIN (SELECT DISTINCT customer_id FROM _ra_k) k USING (customer_id)`;

const LINKED = `
CREATE OR REPLACE TEMP TABLE _ra_set AS
WITH u AS (
	SELECT minute, customer_id, channel, segment, true AS old, p_all, p_ch, p_seg, p_cs FROM _ra_tail
	UNION ALL
	SELECT k.minute, k.customer_id, k.channel, k.segment, false, NULL, NULL, NULL, NULL
	FROM _ra_k k ANTI JOIN _ra_tail t USING (minute, customer_id, channel, segment)
),
${SEEDS}
SELECT u.minute, u.customer_id, u.channel, u.segment, u.old,
	u.p_all AS o_all, u.p_ch AS o_ch, u.p_seg AS o_seg, u.p_cs AS o_cs,
	${LINK}
FROM u ${VARIANTS.map((v) => `JOIN s${v.kind} ${using(v)}`).join(' ')}`;

const INSERT_NEW = `
INSERT INTO rollup_activity
SELECT minute, customer_id, channel, segment, p_all, p_ch, p_seg, p_cs FROM _ra_set WHERE NOT old ORDER BY minute`;

const CHANGED = VARIANTS.map((v) => `${v.col} IS DISTINCT FROM o_${v.col.slice(2)}`).join(' OR ');

const RELINK_TAIL = `
UPDATE rollup_activity AS a SET p_all = s.p_all, p_ch = s.p_ch, p_seg = s.p_seg, p_cs = s.p_cs
FROM (SELECT * FROM _ra_set WHERE old AND (${CHANGED})) s
WHERE a.minute >= $gmin::TIMESTAMP AND a.minute = s.minute AND a.customer_id = s.customer_id
	AND a.channel = s.channel AND a.segment = s.segment`;

// No index on rollup_activity_last: an UPDATE through a join and an INSERT of the missing keys cost a
// fraction of an upsert through a primary key (measured per 5,000-event batch).
const BATCH_LAST = `
CREATE OR REPLACE TEMP TABLE _ra_nl AS
${VARIANTS.map((v) => `SELECT customer_id, ${v.kind}::TINYINT AS kind, ${v.ch} AS channel, ${v.seg} AS segment, max(minute) AS minute FROM _ra_k GROUP BY ALL`).join('\nUNION ALL\n')}`;

const MOVE_LAST = `
UPDATE rollup_activity_last AS l SET minute = n.minute FROM _ra_nl n
WHERE l.customer_id = n.customer_id AND l.kind = n.kind AND l.channel = n.channel AND l.segment = n.segment
	AND n.minute > l.minute`;

const ADD_LAST = `
INSERT INTO rollup_activity_last
SELECT n.customer_id, n.kind, n.channel, n.segment, n.minute FROM _ra_nl n
ANTI JOIN _ra_lc l USING (customer_id, kind, channel, segment)`;

async function linkNewActivity(conn: DuckDBConnection, done: number, upto: number): Promise<void> {
	await conn.run(KEYS, { done, upto });
	const r = await conn.runAndReadAll('SELECT min(minute)::VARCHAR AS m FROM _ra_k');
	const gmin = r.getRowObjectsJS()[0]?.m;
	if (typeof gmin === 'string') {
		await conn.run(TAIL, { gmin });
		await conn.run(LAST_OF_BATCH_CUSTOMERS);
		await conn.run(LINKED);
		await conn.run(INSERT_NEW);
		const tail = await conn.runAndReadAll('SELECT count(*) AS n FROM _ra_tail');
		if (Number(tail.getRowObjectsJS()[0]?.n ?? 0) > 0) await conn.run(RELINK_TAIL, { gmin });
		await conn.run(BATCH_LAST);
		await conn.run(MOVE_LAST);
		await conn.run(ADD_LAST);
		for (const t of ['_ra_set', '_ra_tail', '_ra_lc', '_ra_nl']) await conn.run(`DROP TABLE ${t}`);
	}
	await conn.run('DROP TABLE _ra_k');
}

const STATE = `SELECT s.version AS done, v.version AS upto FROM rollup_activity_state s, rollup_version v WHERE s.id = 1 AND v.id = 1`;

const running = new WeakMap<Db, Promise<number>>();

/**
 * Links the activity of every batch committed since the last call (no-op, one small read, when there
 * is none). Returns how many rollup versions it caught up on. Callers arriving while a catch-up runs
 * share it. A side write (Db.sideWrite): only this function writes the rollup_activity tables, and
 * after a large import it runs for a minute (about 4 µs per record), which under the write lock held
 * up every sign-in and ingest request meanwhile.
 */
export function catchUpActivity(db: Db): Promise<number> {
	const current = running.get(db);
	if (current) return current;
	const p = catchUp(db).finally(() => running.delete(db));
	running.set(db, p);
	return p;
}

async function catchUp(db: Db): Promise<number> {
	const seen = await db.one<{ done: number; upto: number }>(STATE);
	if (!seen || seen.done >= seen.upto) return 0;
	return db.sideWrite(async (conn) => {
		const r = (await conn.runAndReadAll(STATE)).getRowObjectsJS()[0];
		const [done, upto] = [Number(r?.done ?? 0), Number(r?.upto ?? 0)];
		if (done >= upto) return 0;
		await linkNewActivity(conn, done, upto);
		await conn.run('UPDATE rollup_activity_state SET version = $upto WHERE id = 1', { upto });
		return upto - done;
	});
}

/** Records not yet linked above which a tile stops waiting for the catch-up (about half a second's work). */
const WAIT_RECORDS = 100_000;
/** How long a tile waits for a larger catch-up before it is shown without the figures that need it. */
const WAIT_MS = 2_000;

/** Customer-minute records committed but not linked yet (0 when caught up). */
export async function activityBacklog(db: Db): Promise<number> {
	const seen = await db.one<{ done: number; upto: number }>(STATE);
	return seen ? recordsBetween(db, seen) : 0;
}

async function recordsBetween(db: Db, v: { done: number; upto: number }): Promise<number> {
	if (v.done >= v.upto) return 0;
	const r = await db.one<{ n: number }>(
		'SELECT count(*)::DOUBLE AS n FROM rollup_customer_minute WHERE ver > $done AND ver <= $upto AND acts > 0',
		{ done: v.done, upto: v.upto }
	);
	return r?.n ?? 0;
}

export type ActivityReadiness = { ok: true } | { ok: false; error: string };

/** wait: for any backlog; else a backlog over waitRecords (100,000) is waited for waitMs (2,000) at most. */
export interface ActivityWait {
	wait?: boolean;
	waitRecords?: number;
	waitMs?: number;
}

/**
 * Whether the activity links are current, catching up first: a small backlog (a live stream's last
 * batches) is waited for; a large one (a history imported while the server was stopped) is waited for
 * at most WAIT_MS by the read that starts it (not at all by later ones) unless `wait`, and keeps running
 * in the background meanwhile, so pages answer at once and say what is missing.
 */
export async function activityReady(db: Db, o: ActivityWait = {}): Promise<ActivityReadiness> {
	const seen = await db.one<{ done: number; upto: number }>(STATE);
	if (!seen || seen.done >= seen.upto) return { ok: true };
	// A read joining a large catch-up already under way answers at once: the live ticker asks every
	// second, and each of its frames would otherwise wait WAIT_MS.
	const joining = running.has(db);
	const catching = catchUpActivity(db);
	if (!o.wait) {
		const n = await recordsBetween(db, seen);
		if (n > (o.waitRecords ?? WAIT_RECORDS)) {
			const outcome = await Promise.race([
				catching.then(() => 'done' as const, (e: unknown) => ({ failed: e })),
				new Promise<'waiting'>((resolve) => setTimeout(() => resolve('waiting'), joining ? 0 : (o.waitMs ?? WAIT_MS)).unref())
			]);
			if (outcome === 'waiting') {
				return { ok: false, error: `catching up on ${n.toLocaleString('en-US')} stored activity records; shown when done` };
			}
		}
	}
	await catching;
	return { ok: true };
}
