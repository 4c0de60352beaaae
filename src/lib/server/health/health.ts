// GET /api/v1/health: answers without auth, so it reveals nothing sensitive.
import type { Db } from '../db';
import { APP_VERSION } from '../../version';
import { readManifest } from '../churn/registry';

export interface Health {
	status: 'ok' | 'degraded';
	db: 'ok' | 'error';
	version: string;
	/** Seconds since the newest event was ingested; null before any event. */
	last_event_age_s: number | null;
	/** The champion churn model, null when none is promoted. */
	model_version: string | null;
}

export async function checkHealth(getDb: () => Promise<Db>, modelsDir: string): Promise<Health> {
	const h: Health = { status: 'ok', db: 'ok', version: APP_VERSION, last_event_age_s: null, model_version: null };
	try {
		h.model_version = readManifest(modelsDir).champion;
	} catch {
		h.status = 'degraded';
	}
	try {
		const db = await getDb();
		const last = await db.one<{ age: number | null }>(
			"SELECT epoch(now() AT TIME ZONE 'UTC') - epoch(max(ingested_at)) AS age FROM events"
		);
		h.last_event_age_s = last?.age == null ? null : Math.round(last.age);
	} catch {
		h.db = 'error';
		h.status = 'degraded';
	}
	return h;
}
