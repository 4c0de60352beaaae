// GET/PUT /api/v1/alerts/tolerance: tolerance settings in the API's snake_case (as customer debt is
// shown elsewhere), validated strictly so a misspelt key is refused instead of resetting a setting.
import { z } from 'zod';
import type { Db } from '../db';
import { issuesToErrors, type FieldError } from './rule-schema';
import {
	DEFAULT_TOLERANCE,
	EXPERIENCE_KINDS,
	EXPERIENCE_LABELS,
	type ExperienceKind,
	type ToleranceSettings
} from './tolerance-defaults';
import { listToleranceSettings, saveToleranceSettings } from './tolerance-settings';
import { segmentWithoutCustomers } from './tolerance-segment-notice';
import { outOfRange, TOLERANCE_RANGES, type BoundedSetting } from './tolerance-bounds';

export interface ToleranceJson {
	weights: Record<ExperienceKind, number>;
	half_life_days: number;
	limit: number;
	first_response_sla_hours: number;
}

export function toleranceJson(s: ToleranceSettings): ToleranceJson {
	return {
		weights: s.weights,
		half_life_days: s.halfLifeDays,
		limit: s.limit,
		first_response_sla_hours: s.firstResponseSlaHours
	};
}

/** Every segment's settings ('*' = every segment without its own), the defaults and the kinds' labels. */
export async function getToleranceApi(db: Db) {
	return {
		segments: (await listToleranceSettings(db)).map(({ segment, settings }) => ({
			segment,
			settings: toleranceJson(settings)
		})),
		defaults: toleranceJson(DEFAULT_TOLERANCE),
		kinds: EXPERIENCE_LABELS
	};
}

/** Spellings this API documented before it was snake_case; still read so existing clients keep working. */
const OLD_SPELLINGS = {
	halfLifeDays: 'half_life_days',
	firstResponseSlaHours: 'first_response_sla_hours'
} as const;
const API_FIELD: Record<string, string> = OLD_SPELLINGS;

/** A number in its setting's range (tolerance-bounds.ts, the check saveToleranceSettings makes too). */
const bounded = (which: Exclude<BoundedSetting, 'weight'>) =>
	z
		.number({ error: `must be a number (${TOLERANCE_RANGES[which].unit})` })
		.superRefine((v, ctx) => {
			const why = outOfRange(which, v);
			if (why) ctx.addIssue({ code: 'custom', message: why });
		})
		.optional();

const weightsSchema = z.unknown().transform((v, ctx) => {
	if (typeof v !== 'object' || v === null || Array.isArray(v)) {
		ctx.addIssue({
			code: 'custom',
			message: 'weights must be an object of points per experience kind, e.g. {"complaint": 15}'
		});
		return z.NEVER;
	}
	const out: Partial<Record<ExperienceKind, number>> = {};
	for (const [k, x] of Object.entries(v)) {
		if (!(EXPERIENCE_KINDS as readonly string[]).includes(k))
			ctx.addIssue({
				code: 'custom',
				path: [k],
				message: `unknown experience kind; use one of ${EXPERIENCE_KINDS.join(', ')}`
			});
		else if (typeof x !== 'number' || !Number.isFinite(x))
			ctx.addIssue({ code: 'custom', path: [k], message: 'must be a number (points)' });
		else {
			const why = outOfRange('weight', x);
			if (why) ctx.addIssue({ code: 'custom', path: [k], message: why });
			else out[k as ExperienceKind] = x;
		}
	}
	return out;
});

const putSchema = z.strictObject({
	segment: z
		.string({ error: 'segment is required: a segment name, or * for every segment without its own' })
		.trim()
		.min(1, 'segment is required: a segment name, or * for every segment without its own')
		.max(100, 'at most 100 characters'),
	weights: weightsSchema.optional(),
	half_life_days: bounded('halfLifeDays'),
	limit: bounded('limit'),
	first_response_sla_hours: bounded('firstResponseSlaHours')
});

export type TolerancePutResult =
	| { ok: true; value: { segment: string; settings: ToleranceJson; warning?: string } }
	| { ok: false; errors: FieldError[] };

/**
 * Sets one segment's settings: {segment, weights?, half_life_days?, limit?, first_response_sla_hours?};
 * what is left out takes the default (PUT replaces the segment's settings), weights merge over the defaults.
 */
export async function putToleranceApi(db: Db, body: unknown, actor?: string): Promise<TolerancePutResult> {
	if (body === null || typeof body !== 'object' || Array.isArray(body))
		return {
			ok: false,
			errors: [
				{
					field: '(body)',
					message:
						'expected a JSON object {segment, weights, half_life_days, limit, first_response_sla_hours}'
				}
			]
		};
	const input: Record<string, unknown> = { ...body };
	const sentAs = new Map<string, string>();
	for (const [old, key] of Object.entries(OLD_SPELLINGS)) {
		if (!(old in input)) continue;
		if (key in input)
			return {
				ok: false,
				errors: [{ field: old, message: `give ${key} only (${old} is its old spelling)` }]
			};
		input[key] = input[old];
		delete input[old];
		sentAs.set(key, old);
	}
	const p = putSchema.safeParse(input);
	if (!p.success)
		return {
			ok: false,
			errors: issuesToErrors(p.error.issues).map((e) => ({ ...e, field: sentAs.get(e.field) ?? e.field }))
		};
	const d = p.data;
	const settings: ToleranceSettings = {
		weights: { ...DEFAULT_TOLERANCE.weights, ...d.weights },
		halfLifeDays: d.half_life_days ?? DEFAULT_TOLERANCE.halfLifeDays,
		limit: d.limit ?? DEFAULT_TOLERANCE.limit,
		firstResponseSlaHours: d.first_response_sla_hours ?? DEFAULT_TOLERANCE.firstResponseSlaHours
	};
	const r = await saveToleranceSettings(db, d.segment, settings, actor);
	// The schema above checked the same ranges; should the save still refuse, it names the API's keys.
	if (!r.ok) return { ok: false, errors: r.errors.map((e) => ({ ...e, field: API_FIELD[e.field] ?? e.field })) };
	// Kept (customers may arrive later), but a typo or a case variant is said at once.
	const warning = await segmentWithoutCustomers(db, d.segment);
	return { ok: true, value: { segment: d.segment, settings: toleranceJson(settings), ...(warning ? { warning } : {}) } };
}
