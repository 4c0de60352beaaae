// A user's own display preferences: so far only the zone pages show times in (the Account page and
// PUT /api/v1/me/settings). Unset (null) means the browser's own zone.
import type { Db } from '../db';
import { canonicalZone } from '../../shared/time-zone';

export interface UserSettings {
	/** An IANA zone name or 'UTC'; null: the browser's zone. */
	time_zone: string | null;
	/** ISO UTC; null while the user has never chosen. */
	updated_at: string | null;
}

export type SettingsResult = { ok: true; value: UserSettings } | { ok: false; errors: { field: string; message: string }[] };

export async function getUserSettings(db: Db, userId: string): Promise<UserSettings> {
	const row = await db.one<{ time_zone: string | null; updated_ms: number }>(
		'SELECT time_zone, epoch_ms(updated_at) AS updated_ms FROM user_settings WHERE user_id = $1',
		[userId]
	);
	return row ? { time_zone: row.time_zone, updated_at: new Date(row.updated_ms).toISOString() } : { time_zone: null, updated_at: null };
}

const ZONE_HELP = "use an IANA name such as Europe/Berlin or America/New_York, 'UTC', or null for the browser's zone";

/** Validates a settings body ({time_zone}) and stores it; the zone is stored under its canonical name. */
export async function saveUserSettings(db: Db, userId: string, body: unknown, now = Date.now()): Promise<SettingsResult> {
	if (typeof body !== 'object' || body === null || Array.isArray(body))
		return { ok: false, errors: [{ field: 'body', message: 'send a JSON object such as {"time_zone": "Europe/Berlin"}' }] };
	const b = body as Record<string, unknown>;
	const unknown = Object.keys(b).filter((k) => k !== 'time_zone');
	if (unknown.length) return { ok: false, errors: unknown.map((k) => ({ field: k, message: `${k} is not a setting; the settings are: time_zone` })) };
	if (!('time_zone' in b)) return { ok: false, errors: [{ field: 'time_zone', message: `time_zone is required: ${ZONE_HELP}` }] };
	let zone: string | null = null;
	if (b.time_zone !== null) {
		zone = typeof b.time_zone === 'string' ? canonicalZone(b.time_zone) : null;
		if (zone === null) {
			const shown = typeof b.time_zone === 'string' ? `"${b.time_zone.slice(0, 64)}"` : JSON.stringify(b.time_zone);
			return { ok: false, errors: [{ field: 'time_zone', message: `time_zone ${shown} is not a known time zone: ${ZONE_HELP}` }] };
		}
	}
	await db.write(async (conn) => {
		await conn.run(
			`INSERT INTO user_settings (user_id, time_zone, updated_at) VALUES ($1, $2, epoch_ms($3::BIGINT))
			 ON CONFLICT (user_id) DO UPDATE SET time_zone = excluded.time_zone, updated_at = excluded.updated_at`,
			[userId, zone, now]
		);
	});
	return { ok: true, value: { time_zone: zone, updated_at: new Date(now).toISOString() } };
}
