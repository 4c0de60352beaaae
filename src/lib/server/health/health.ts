// GET /api/v1/health: answers without auth, so it reveals nothing sensitive.
import type { Db } from '../db';
import { APP_VERSION } from '../../version';

export interface Health {
	status: 'ok' | 'degraded';
	db: 'ok' | 'error';
	version: string;
	last_event_age_s: number | null;
	model_version: string | null;
}

/** Extra facts other modules add (last event age, model version) without health knowing them. */
type Probe = (db: Db) => Promise<Partial<Health>>;
const probes: Probe[] = [];

export function addHealthProbe(p: Probe): void {
	probes.push(p);
}

export async function checkHealth(getDb: () => Promise<Db>): Promise<Health> {
	const h: Health = { status: 'ok', db: 'ok', version: APP_VERSION, last_event_age_s: null, model_version: null };
	try {
		const db = await getDb();
		const last = await db.one<{ age: number | null }>(
			"SELECT epoch(now() AT TIME ZONE 'UTC') - epoch(max(ingested_at)) AS age FROM events"
		);
		h.last_event_age_s = last?.age == null ? null : Math.round(last.age);
		for (const p of probes) Object.assign(h, await p(db).catch(() => ({})));
	} catch {
		h.db = 'error';
		h.status = 'degraded';
	}
	return h;
}
