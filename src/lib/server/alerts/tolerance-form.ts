// The Settings page's tolerance form: text fields in, a stored segment's settings out (through
// saveToleranceSettings), with one error per field the admin can fix.
import type { Db } from '../db';
import { EXPERIENCE_KINDS, type ExperienceKind, type ToleranceSettings } from './tolerance-defaults';
import { ANY_SEGMENT, saveToleranceSettings, toleranceErrors } from './tolerance-settings';

/** Form field names: `segment`, `limit`, `halfLifeDays`, `firstResponseSlaHours`, `weights.<kind>`. */
export type ToleranceFormResult =
	| { ok: true; value: { segment: string; settings: ToleranceSettings } }
	| { ok: false; errors: Record<string, string> };

function numberField(raw: string, field: string, label: string, errors: Record<string, string>): number {
	const n = raw.trim() === '' ? NaN : Number(raw);
	if (!Number.isFinite(n)) errors[field] = `${label} must be a number`;
	return n;
}

/**
 * Parses the form, then validates and stores it; nothing is stored when any field is wrong. `adding`: the
 * "Add a segment" form, which refuses a segment that already has settings (it would overwrite them with
 * the add form's values; the API's PUT is an upsert by design).
 */
export async function saveToleranceForm(
	db: Db,
	field: (name: string) => string,
	actor?: string,
	opts: { adding?: boolean } = {}
): Promise<ToleranceFormResult> {
	const errors: Record<string, string> = {};
	const segment = field('segment').trim();
	const limit = numberField(field('limit'), 'limit', 'the tolerance limit (points)', errors);
	const halfLifeDays = numberField(field('halfLifeDays'), 'halfLifeDays', 'the half-life (days)', errors);
	const firstResponseSlaHours = numberField(field('firstResponseSlaHours'), 'firstResponseSlaHours', 'the first-response SLA (hours)', errors);
	const weights = {} as Record<ExperienceKind, number>;
	for (const k of EXPERIENCE_KINDS) weights[k] = numberField(field(`weights.${k}`), `weights.${k}`, 'the weight (points)', errors);
	const settings: ToleranceSettings = { weights, limit, halfLifeDays, firstResponseSlaHours };
	if (opts.adding && segment && (await hasSettings(db, segment)))
		errors.segment = `${segment} already has settings: edit its form above`;
	// The range checks of the fields that did parse too, so every mistake shows at once.
	for (const e of toleranceErrors(segment, settings)) errors[e.field] ??= e.message;
	if (Object.keys(errors).length) return { ok: false, errors };
	const r = await saveToleranceSettings(db, segment, settings, actor);
	if (!r.ok) return { ok: false, errors: Object.fromEntries(r.errors.map((e) => [e.field, e.message])) };
	return { ok: true, value: { segment, settings } };
}

/** '*' always has settings (the defaults in code until it is saved); another segment once it has a row. */
async function hasSettings(db: Db, segment: string): Promise<boolean> {
	if (segment === ANY_SEGMENT) return true;
	return (await db.one('SELECT 1 FROM tolerance_settings WHERE segment = $1', [segment])) !== undefined;
}

export interface SegmentLimitCount {
	segment: string;
	/** Customers in the segment. */
	customers: number;
	/** Of them, those with their own limit (customers.tolerance), which overrides every segment limit. */
	own_limit: number;
}

/**
 * Per segment, how many customers carry their own limit: a segment's limit (and the `*` default) does
 * not reach them, which the Settings form says next to the limit.
 */
export async function ownLimitCounts(db: Db): Promise<SegmentLimitCount[]> {
	return db.all<SegmentLimitCount>(
		`SELECT segment, count(*)::INTEGER AS customers, count(tolerance)::INTEGER AS own_limit
		 FROM customers GROUP BY segment ORDER BY segment`
	);
}
