// Silences: a matcher and a time window; matching rules still change state but do not notify and
// matching customers get no new work items.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Db } from '../db';
import { issuesToErrors, type FieldError } from './rule-schema';

export const silenceMatcherSchema = z
	.object({
		rule_id: z.string().min(1).optional(),
		kind: z.string().min(1).optional(),
		metric: z.string().min(1).optional(),
		customer_id: z.string().min(1).optional()
	})
	.refine(
		(m) => Object.keys(m).length > 0,
		'a matcher needs at least one of rule_id, kind, metric, customer_id'
	);
export type SilenceMatcher = z.infer<typeof silenceMatcherSchema>;

export interface Silence {
	id: string;
	matcher: SilenceMatcher;
	startsAt: number;
	endsAt: number;
	comment: string | null;
	createdBy: string;
}

export interface SilenceSubject {
	rule_id: string;
	kind: string;
	metric?: string;
	customer_id?: string;
}

export function isSilenced(silences: readonly Silence[], subject: SilenceSubject, now: number): boolean {
	return silences.some((s) => {
		if (now < s.startsAt || now >= s.endsAt) return false;
		return Object.entries(s.matcher).every(
			([k, v]) => v === undefined || subject[k as keyof SilenceSubject] === v
		);
	});
}

const inputSchema = z
	.object({
		matcher: silenceMatcherSchema,
		starts_at: z.iso.datetime({ offset: true }).optional(),
		ends_at: z.iso.datetime({ offset: true }),
		comment: z.string().max(1000).optional()
	})
	.refine((s) => !s.starts_at || Date.parse(s.starts_at) < Date.parse(s.ends_at), {
		message: 'ends_at must be after starts_at',
		path: ['ends_at']
	});

export async function createSilence(
	db: Db,
	input: unknown,
	actor: string,
	now = Date.now()
): Promise<{ ok: true; value: Silence } | { ok: false; errors: FieldError[] }> {
	const p = inputSchema.safeParse(input);
	if (!p.success) return { ok: false, errors: issuesToErrors(p.error.issues) };
	// Without starts_at a silence starts now, so an end already past made a silence that ended before it began.
	if (Date.parse(p.data.ends_at) <= now) return { ok: false, errors: [{ field: 'ends_at', message: 'ends_at must be in the future' }] };
	const s: Silence = {
		id: randomUUID(),
		matcher: p.data.matcher,
		startsAt: p.data.starts_at ? Date.parse(p.data.starts_at) : now,
		endsAt: Date.parse(p.data.ends_at),
		comment: p.data.comment ?? null,
		createdBy: actor
	};
	await db.write(async (conn) => {
		await conn.run(
			`INSERT INTO silences (id, matcher, starts_at, ends_at, comment, created_by) VALUES ($1, $2::JSON, make_timestamp($3::BIGINT * 1000), make_timestamp($4::BIGINT * 1000), $5, $6)`,
			[s.id, JSON.stringify(s.matcher), s.startsAt, s.endsAt, s.comment, actor]
		);
	});
	return { ok: true, value: s };
}

export async function listActiveSilences(db: Db, now = Date.now()): Promise<Silence[]> {
	const rows = await db.all<{
		id: string;
		matcher: string;
		starts_at: Date;
		ends_at: Date;
		comment: string | null;
		created_by: string;
	}>(
		`SELECT id, matcher::VARCHAR AS matcher, starts_at, ends_at, comment, created_by FROM silences WHERE ends_at > make_timestamp($1::BIGINT * 1000)`,
		[now]
	);
	return rows.map((r) => ({
		id: r.id,
		matcher: JSON.parse(r.matcher) as SilenceMatcher,
		startsAt: r.starts_at.getTime(),
		endsAt: r.ends_at.getTime(),
		comment: r.comment,
		createdBy: r.created_by
	}));
}
