// Tolerance settings per segment (table tolerance_settings), merged over the defaults in code.
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Db } from '../db';
import {
	DEFAULT_TOLERANCE,
	EXPERIENCE_KINDS,
	type ExperienceKind,
	type ToleranceSettings
} from './tolerance-defaults';
import { recordAudit } from '../auth/audit';
import { SYSTEM_ACTOR } from '../auth/actors';
import { owePendingRecomputeIn } from './debt-recompute-pending';
import { outOfRange, type BoundedSetting } from './tolerance-bounds';
import { cachedToleranceSettings, forgetToleranceSettings } from './tolerance-settings-cache';

/** The key under which the defaults apply to every segment without its own row. */
export const ANY_SEGMENT = '*';

interface SettingsRow {
	segment: string;
	weights: string | Record<string, unknown>;
	half_life_days: number;
	tolerance_limit: number;
	first_response_sla_hours: number;
}

function mergeRow(row: SettingsRow): ToleranceSettings {
	const raw =
		typeof row.weights === 'string' ? (JSON.parse(row.weights) as Record<string, unknown>) : row.weights;
	const weights = { ...DEFAULT_TOLERANCE.weights };
	for (const k of EXPERIENCE_KINDS) if (typeof raw?.[k] === 'number') weights[k] = raw[k] as number;
	return {
		weights,
		halfLifeDays: row.half_life_days,
		limit: row.tolerance_limit,
		firstResponseSlaHours: row.first_response_sla_hours
	};
}

const SELECT =
	'SELECT segment, weights::VARCHAR AS weights, half_life_days, tolerance_limit, first_response_sla_hours FROM tolerance_settings';

/** Settings per segment; `*` always present (a stored `*` row overrides the code defaults). */
export function settingsFromRows(rows: SettingsRow[]): Map<string, ToleranceSettings> {
	const out = new Map<string, ToleranceSettings>([[ANY_SEGMENT, DEFAULT_TOLERANCE]]);
	for (const r of rows) out.set(r.segment, mergeRow(r));
	return out;
}

/**
 * Every reader outside a write transaction (work list, alert matcher, customer pages, Settings page) shares
 * one read until the next save or removal (tolerance-settings-cache.ts); inside one, loadToleranceSettingsIn.
 */
export function loadToleranceSettings(db: Db): Promise<Map<string, ToleranceSettings>> {
	return cachedToleranceSettings(db, async () => settingsFromRows(await db.all<SettingsRow>(SELECT)));
}

export async function loadToleranceSettingsIn(
	conn: DuckDBConnection
): Promise<Map<string, ToleranceSettings>> {
	const reader = await conn.runAndReadAll(SELECT);
	return settingsFromRows(reader.getRowObjectsJS() as unknown as SettingsRow[]);
}

export function settingsFor(
	all: Map<string, ToleranceSettings>,
	segment: string | null | undefined
): ToleranceSettings {
	return all.get(segment ?? '') ?? all.get(ANY_SEGMENT) ?? DEFAULT_TOLERANCE;
}

export type SettingsError = { field: string; message: string };

/** Every field of one segment's settings that is refused (tolerance-bounds.ts), with the field's name. */
export function toleranceErrors(segment: string, s: ToleranceSettings): SettingsError[] {
	const errors: SettingsError[] = [];
	const check = (field: string, which: BoundedSetting, label: string, v: number) => {
		const why = outOfRange(which, v);
		if (why) errors.push({ field, message: `${label} ${why}` });
	};
	if (!segment.trim()) errors.push({ field: 'segment', message: 'segment is required' });
	check('halfLifeDays', 'halfLifeDays', 'half-life', s.halfLifeDays);
	check('limit', 'limit', 'the tolerance limit', s.limit);
	check('firstResponseSlaHours', 'firstResponseSlaHours', 'the SLA', s.firstResponseSlaHours);
	for (const [k, v] of Object.entries(s.weights)) {
		if (!EXPERIENCE_KINDS.includes(k as ExperienceKind))
			errors.push({ field: `weights.${k}`, message: 'unknown experience kind' });
		else check(`weights.${k}`, 'weight', 'the weight', v);
	}
	return errors;
}

/**
 * Validates and stores one segment's settings (Settings page, API), owing the recompute of the debt they
 * change (debt-recompute-pending.ts); the caller then wakes the recompute (scheduleDebtRecompute).
 */
export async function saveToleranceSettings(
	db: Db,
	segment: string,
	s: ToleranceSettings,
	actor = SYSTEM_ACTOR
): Promise<{ ok: true } | { ok: false; errors: SettingsError[] }> {
	const errors = toleranceErrors(segment, s);
	if (errors.length) return { ok: false, errors };
	await db.write(async (conn) => {
		await conn.run(
			`INSERT OR REPLACE INTO tolerance_settings (segment, weights, half_life_days, tolerance_limit, first_response_sla_hours, updated_at)
			 VALUES ($1, $2::JSON, $3, $4, $5, now() AT TIME ZONE 'UTC')`,
			[segment, JSON.stringify(s.weights), s.halfLifeDays, s.limit, s.firstResponseSlaHours]
		);
		await recordAudit(conn, { actor, action: 'tolerance.update', subject: segment, detail: { limit: s.limit, half_life_days: s.halfLifeDays, first_response_sla_hours: s.firstResponseSlaHours } });
		// With the settings, so a committed save always has its debt recompute owed, whatever stops the server.
		await owePendingRecomputeIn(conn, segment === ANY_SEGMENT ? null : segment);
	}).finally(() => forgetToleranceSettings(db));
	return { ok: true };
}

export type RemoveResult = { ok: true } | { ok: false; status: 404 | 422; error: string };

/**
 * Removes a segment's own settings (Settings page, DELETE /api/v1/alerts/tolerance/:segment): its customers
 * fall back to '*', so their debt recompute is owed in the same transaction, as a save does. '*' stays: it
 * is what every other segment falls back on.
 */
export async function removeToleranceSettings(db: Db, segment: string, actor = SYSTEM_ACTOR): Promise<RemoveResult> {
	if (segment === ANY_SEGMENT)
		return {
			ok: false,
			status: 422,
			error: `${ANY_SEGMENT} holds the settings of every segment without its own and cannot be removed; save it with the values you want instead`
		};
	return db.write(async (conn) => {
		const found = await conn.runAndReadAll('SELECT 1 FROM tolerance_settings WHERE segment = $1', [segment]);
		if (!found.currentRowCount)
			return { ok: false, status: 404, error: `segment ${segment} has no tolerance settings of its own` } as const;
		await conn.run('DELETE FROM tolerance_settings WHERE segment = $1', [segment]);
		// The removal's time, which the deleted row can no longer give: the alert tick tells by it that an item
		// cleared by the fall back to '*' was closed by a settings change (work-item-settings-change.ts).
		await conn.run(
			`INSERT OR REPLACE INTO tolerance_settings_removals (segment, removed_at) VALUES ($1, now() AT TIME ZONE 'UTC')`,
			[segment]
		);
		await recordAudit(conn, { actor, action: 'tolerance.delete', subject: segment });
		await owePendingRecomputeIn(conn, segment);
		return { ok: true } as const;
	}).finally(() => forgetToleranceSettings(db));
}

/** Every segment's effective settings (the `*` row is the default for segments without their own). */
export async function listToleranceSettings(
	db: Db
): Promise<{ segment: string; settings: ToleranceSettings }[]> {
	return [...(await loadToleranceSettings(db))].map(([segment, settings]) => ({ segment, settings }));
}
