// Silences: a matcher and a time window; matching rules still change state but do not notify and
// matching customers get no new work items.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Db } from '../db';
import { parseIsoMicros } from '../ingest/timestamp';
import { METRIC_IDS, findMetric } from '../metrics/definitions';
import { RULE_KINDS, issuesToErrors, type FieldError } from './rule-schema';
import { getRule } from './rules';
import { recordAudit } from '../auth/audit';
import { SYSTEM_ACTOR } from '../auth/actors';
import type { SilenceJson } from '../../shared/silence-json';

const MATCHER_KEYS = ['rule_id', 'kind', 'metric', 'customer_id'] as const;

export const silenceMatcherSchema = z
	.strictObject({
		rule_id: z.string().min(1).optional(),
		kind: z.enum(RULE_KINDS, { error: (i) => `unknown kind ${JSON.stringify(i.input)}; use one of ${RULE_KINDS.join(', ')}` }).optional(),
		metric: z.string().min(1).optional(),
		customer_id: z.string().min(1).optional()
	})
	.refine((m) => Object.keys(m).length > 0, `a matcher needs at least one of ${MATCHER_KEYS.join(', ')}`);
export type SilenceMatcher = z.infer<typeof silenceMatcherSchema>;

/** Times in epoch ms: the alert loop compares them with its tick time. The API shows SilenceJson. */
export interface Silence {
	id: string;
	matcher: SilenceMatcher;
	startsAt: number;
	endsAt: number;
	comment: string | null;
	createdBy: string;
	/** Ended early (End now) or deleted before it started: mutes nothing from then on. The window stays as planned. */
	endedAt: number | null;
	endedBy: string | null;
}

/** When a silence stops muting: its planned end, or earlier when someone ended it. */
export function effectiveEnd(s: Pick<Silence, 'endsAt' | 'endedAt'>): number {
	return s.endedAt === null ? s.endsAt : Math.min(s.endsAt, s.endedAt);
}

export interface SilenceSubject {
	rule_id: string;
	kind: string;
	metric?: string;
	customer_id?: string;
}

export function isSilenced(silences: readonly Silence[], subject: SilenceSubject, now: number): boolean {
	return silences.some((s) => {
		if (now < s.startsAt || now >= effectiveEnd(s)) return false;
		return Object.entries(s.matcher).every(
			([k, v]) => v === undefined || subject[k as keyof SilenceSubject] === v
		);
	});
}

/** A date alone means 00:00 UTC and no offset means UTC, as for events (DESIGN §3). */
const instant = z.string().transform((v, ctx) => {
	const us = parseIsoMicros(v.trim());
	if (us === null) {
		ctx.addIssue({ code: 'custom', message: `must be an ISO-8601 date or timestamp (e.g. 2026-12-24 or 2026-12-24T18:00:00Z), not ${JSON.stringify(v.slice(0, 40))}` });
		return z.NEVER;
	}
	return Math.floor(us / 1000);
});

const inputSchema = z
	.strictObject({
		matcher: silenceMatcherSchema,
		starts_at: instant.optional(),
		ends_at: instant,
		comment: z.string().max(1000).optional()
	})
	.refine((s) => s.starts_at === undefined || s.starts_at < s.ends_at, {
		message: 'ends_at must be after starts_at',
		path: ['ends_at']
	});

/**
 * A matcher that can match nothing would be listed as a silence while muting nothing: every value it
 * names must exist, and its keys must fit together (metric subjects carry no customer; a rule has one kind).
 */
async function matcherErrors(db: Db, m: SilenceMatcher): Promise<FieldError[]> {
	const errors: FieldError[] = [];
	if (m.metric !== undefined && !findMetric(m.metric))
		errors.push({ field: 'matcher.metric', message: `unknown metric ${JSON.stringify(m.metric)}; use one of ${METRIC_IDS.join(', ')}` });
	if (m.customer_id !== undefined && (m.metric !== undefined || m.kind === 'metric'))
		errors.push({ field: 'matcher.customer_id', message: 'customer_id matches customer rules (tolerance, churn, silent) only; drop metric or kind metric' });
	if (m.metric !== undefined && m.kind !== undefined && m.kind !== 'metric')
		errors.push({ field: 'matcher.kind', message: `a ${m.kind} rule has no metric; use kind metric or drop metric` });
	if (m.rule_id !== undefined) {
		const rule = await getRule(db, m.rule_id);
		if (!rule) errors.push({ field: 'matcher.rule_id', message: `no alert rule ${JSON.stringify(m.rule_id)}` });
		else {
			const def = rule.definition;
			if (m.kind !== undefined && m.kind !== def.kind)
				errors.push({ field: 'matcher.kind', message: `rule ${rule.id} is a ${def.kind} rule, not ${m.kind}` });
			if (m.metric !== undefined && def.kind === 'metric' && m.metric !== def.metric)
				errors.push({ field: 'matcher.metric', message: `rule ${rule.id} watches ${def.metric}, not ${m.metric}` });
			if (m.metric !== undefined && def.kind !== 'metric')
				errors.push({ field: 'matcher.metric', message: `rule ${rule.id} is a ${def.kind} rule and has no metric` });
			if (m.customer_id !== undefined && def.kind === 'metric')
				errors.push({ field: 'matcher.customer_id', message: `rule ${rule.id} is a metric rule; customer_id matches customer rules only` });
		}
	}
	return errors;
}

export type { SilenceJson } from '../../shared/silence-json';

export function silenceJson(s: Silence, now = Date.now()): SilenceJson {
	return {
		id: s.id,
		matcher: s.matcher,
		starts_at: new Date(s.startsAt).toISOString(),
		ends_at: new Date(s.endsAt).toISOString(),
		comment: s.comment,
		created_by: s.createdBy,
		state: effectiveEnd(s) <= now ? 'ended' : s.startsAt > now ? 'scheduled' : 'active',
		ended_at: s.endedAt === null ? null : new Date(s.endedAt).toISOString(),
		ended_by: s.endedBy
	};
}

export async function createSilence(
	db: Db,
	input: unknown,
	actor: string,
	now = Date.now()
): Promise<{ ok: true; value: SilenceJson } | { ok: false; errors: FieldError[] }> {
	const p = inputSchema.safeParse(input);
	if (!p.success) return { ok: false, errors: issuesToErrors(p.error.issues) };
	// Without starts_at a silence starts now, so an end already past made a silence that ended before it began.
	if (p.data.ends_at <= now) return { ok: false, errors: [{ field: 'ends_at', message: 'ends_at must be in the future' }] };
	const invalid = await matcherErrors(db, p.data.matcher);
	if (invalid.length) return { ok: false, errors: invalid };
	const s: Silence = {
		id: randomUUID(),
		matcher: p.data.matcher,
		startsAt: p.data.starts_at ?? now,
		endsAt: p.data.ends_at,
		comment: p.data.comment ?? null,
		createdBy: actor,
		endedAt: null,
		endedBy: null
	};
	await db.write(async (conn) => {
		await conn.run(
			`INSERT INTO silences (id, matcher, starts_at, ends_at, comment, created_by) VALUES ($1, $2::JSON, make_timestamp($3::BIGINT * 1000), make_timestamp($4::BIGINT * 1000), $5, $6)`,
			[s.id, JSON.stringify(s.matcher), s.startsAt, s.endsAt, s.comment, actor]
		);
		await recordAudit(conn, { actor, action: 'silence.create', subject: s.id, detail: { matcher: JSON.stringify(s.matcher), ends_at: new Date(s.endsAt).toISOString() } });
	});
	return { ok: true, value: silenceJson(s, now) };
}

/** Silences not yet over, including scheduled ones (the alert loop checks each one's start itself). */
export async function listActiveSilences(db: Db, now = Date.now()): Promise<Silence[]> {
	return silencesEndingAfter(db, now);
}

async function silencesEndingAfter(db: Db, after: number): Promise<Silence[]> {
	const rows = await db.all<{
		id: string;
		matcher: string;
		starts_at: Date;
		ends_at: Date;
		comment: string | null;
		created_by: string;
		ended_at: Date | null;
		ended_by: string | null;
	}>(
		`SELECT s.id, s.matcher::VARCHAR AS matcher, s.starts_at, s.ends_at, s.comment, s.created_by, e.ended_at, e.ended_by
		 FROM silences s LEFT JOIN silence_ends e ON e.silence_id = s.id
		 WHERE coalesce(e.ended_at, s.ends_at) > make_timestamp($1::BIGINT * 1000) ORDER BY s.starts_at, s.id`,
		[after]
	);
	return rows.map((r) => ({
		id: r.id,
		matcher: JSON.parse(r.matcher) as SilenceMatcher,
		startsAt: r.starts_at.getTime(),
		endsAt: r.ends_at.getTime(),
		comment: r.comment,
		createdBy: r.created_by,
		endedAt: r.ended_at === null ? null : r.ended_at.getTime(),
		endedBy: r.ended_by
	}));
}

/** GET /api/v1/alerts/silences: every silence not yet over, each marked active or scheduled. */
export async function listCurrentSilences(db: Db, now = Date.now()): Promise<SilenceJson[]> {
	return (await listActiveSilences(db, now)).map((s) => silenceJson(s, now));
}

export const MAX_ENDED_DAYS = 90;

/**
 * GET /api/v1/alerts/silences?ended_days=N: the current silences and, with N > 0, those that ended in the
 * last N days (state ended), so the page can show what was muted during last night's maintenance.
 */
export function parseEndedDays(raw: string | null): { ok: true; value: number } | { ok: false; error: string } {
	if (raw === null) return { ok: true, value: 0 };
	const n = Number(raw);
	if (raw.trim() === '' || !Number.isInteger(n) || n < 0 || n > MAX_ENDED_DAYS)
		return { ok: false, error: `ended_days must be a whole number of days from 0 to ${MAX_ENDED_DAYS} (silences that ended that recently are listed too), not ${JSON.stringify(raw.slice(0, 40))}` };
	return { ok: true, value: n };
}

/** Current silences (ordered by start) followed by those ended within `endedDays`, latest end first. */
export async function listSilences(db: Db, endedDays: number, now = Date.now()): Promise<SilenceJson[]> {
	const all = await silencesEndingAfter(db, now - endedDays * 86_400_000);
	const ended = all.filter((s) => effectiveEnd(s) <= now).sort((a, b) => effectiveEnd(b) - effectiveEnd(a));
	return [...all.filter((s) => effectiveEnd(s) > now), ...ended].map((s) => silenceJson(s, now));
}

/**
 * Ends a silence now (End now), or deletes a scheduled one before it starts. The row stays with its planned
 * window, and silence_ends says when and by whom, so what was muted remains readable. False when no
 * silence `id` is current.
 */
export async function endSilence(db: Db, id: string, now = Date.now(), actor = SYSTEM_ACTOR): Promise<boolean> {
	return db.write(async (conn) => {
		const r = await conn.runAndReadAll(
			`INSERT INTO silence_ends (silence_id, ended_at, ended_by)
			 SELECT s.id, make_timestamp($2::BIGINT * 1000), $3 FROM silences s
			 WHERE s.id = $1 AND s.ends_at > make_timestamp($2::BIGINT * 1000)
				AND NOT EXISTS (SELECT 1 FROM silence_ends e WHERE e.silence_id = s.id)
			 RETURNING silence_id`,
			[id, now, actor]
		);
		const ended = r.getRows().length > 0;
		if (ended) await recordAudit(conn, { actor, action: 'silence.end', subject: id });
		return ended;
	});
}
