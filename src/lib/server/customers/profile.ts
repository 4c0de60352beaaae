// Builds the customer 360: profile, journey timeline, experience debt with its reasons, churn
// score history and work items. Reads only; the churn tables are optional (absent before training).
import type { Db } from '../db';
import { debtAt } from '../alerts/debt';
import { hasLeftSql, hasTable } from '../alerts/customer-matches';
import { EXPERIENCE_LABELS, type ExperienceKind } from '../alerts/tolerance-defaults';
import { loadToleranceSettings, settingsFor } from '../alerts/tolerance-settings';
import { listWorkItems } from '../alerts/work-item-list';
import { listTransitions } from '../alerts/work-items';
import { listWorkItemNotes } from '../alerts/work-item-notes';
import { monthlyValueSql } from './monthly-value';
import { debtSeries } from './profile-debt';
import type { CustomerProfile, ScoreView, TicketSpan, TimelineEvent } from './profile-types';
import { relabelReasons } from './reason-labels';

export const TIMELINE_LIMIT = 2000;

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

function parseJson(v: unknown): unknown {
	if (typeof v !== 'string') return v ?? null;
	try {
		return JSON.parse(v);
	} catch {
		return v;
	}
}

function toScore(r: Record<string, unknown>): ScoreView {
	return {
		probability: Number(r.probability),
		risk_band: typeof r.risk_band === 'string' ? r.risk_band : null,
		model_version: r.model_version == null ? null : String(r.model_version),
		scored_at:
			r.scored_at instanceof Date
				? r.scored_at.toISOString()
				: r.scored_at == null
					? null
					: String(r.scored_at)
	};
}

/** Where an older page of the journey starts: events strictly before this time, or at it with a smaller id. */
export interface TimelineCursor {
	/** `YYYY-MM-DD HH:MM:SS.ffffff` (UTC), as `timeline.older.before` gives it. */
	before: string;
	before_id: string;
}

/** The cursor's time format: microseconds, so no event at the page boundary is skipped or repeated. */
export const CURSOR_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{6}$/;

/** `?before=&before_id=` of the page and the API: both or neither, the time as `older.before` gives it. */
export function parseTimelineCursor(sp: URLSearchParams): { ok: true; value: TimelineCursor | null } | { ok: false; error: string } {
	const before = sp.get('before');
	const beforeId = sp.get('before_id');
	if (before === null && beforeId === null) return { ok: true, value: null };
	if (before === null || beforeId === null || beforeId === '')
		return { ok: false, error: 'before and before_id go together: pass both from timeline.older' };
	if (!CURSOR_TIME.test(before)) return { ok: false, error: `before must be a time as timeline.older.before gives it (YYYY-MM-DD HH:MM:SS.ffffff, UTC), not ${JSON.stringify(before.slice(0, 40))}` };
	return { ok: true, value: { before, before_id: beforeId } };
}

export async function getCustomerProfile(
	db: Db,
	customerId: string,
	now = Date.now(),
	older: TimelineCursor | null = null
): Promise<CustomerProfile | null> {
	const c = await db.one<{
		customer_id: string;
		name: string | null;
		segment: string;
		plan: string | null;
		region: string | null;
		signed_up_at: Date | null;
		monthly_value: number | null;
		tolerance: number | null;
		attrs: string | null;
	}>(
		`SELECT customer_id, name, segment, plan, region, signed_up_at, ${monthlyValueSql()} AS monthly_value, tolerance,
			attrs::VARCHAR AS attrs FROM customers c WHERE customer_id = $1`,
		[customerId]
	);
	if (!c) return null;

	const [events, counts, debtRow, contribs, settings, hasScores, hasHistory] = await Promise.all([
		db.all<{
			event_id: string;
			occurred_at: Date;
			channel: string;
			type: string;
			value: number | null;
			rating: number | null;
			ticket_id: string | null;
			attrs: string | null;
			cursor_time: string;
		}>(
			`SELECT event_id, occurred_at, channel, type, value, rating, ticket_id, attrs::VARCHAR AS attrs,
				strftime(occurred_at, '%Y-%m-%d %H:%M:%S.%f') AS cursor_time
			 FROM events WHERE customer_id = $1
			 ${older ? 'AND (occurred_at < $3::TIMESTAMP OR (occurred_at = $3::TIMESTAMP AND event_id < $4))' : ''}
			 ORDER BY occurred_at DESC, event_id DESC LIMIT $2`,
			older ? [customerId, TIMELINE_LIMIT + 1, older.before, older.before_id] : [customerId, TIMELINE_LIMIT + 1]
		),
		db.one<{ n: number; first_at: Date | null; last_at: Date | null; left_at: Date | null }>(
			`SELECT count(*)::INTEGER AS n, min(occurred_at) AS first_at, max(occurred_at) AS last_at,
				(SELECT CASE WHEN ${hasLeftSql('cs')} THEN cs.cancelled_at END FROM customer_state cs WHERE cs.customer_id = $1) AS left_at
			 FROM events WHERE customer_id = $1`,
			[customerId]
		),
		db.one<{ debt: number; updated_at: Date; crossed_at: Date | null }>(
			'SELECT debt, updated_at, crossed_at FROM customer_debt WHERE customer_id = $1',
			[customerId]
		),
		db.all<{ event_id: string; occurred_at: Date; kind: string; points: number }>(
			'SELECT event_id, occurred_at, kind, points FROM debt_contributions WHERE customer_id = $1 ORDER BY occurred_at, kind',
			[customerId]
		),
		loadToleranceSettings(db),
		hasTable(db, 'scores'),
		hasTable(db, 'score_history')
	]);

	const truncated = events.length > TIMELINE_LIMIT;
	const shown = events.slice(0, TIMELINE_LIMIT).reverse();
	const oldest = shown[0];
	const timeline: TimelineEvent[] = shown.map(({ cursor_time: _, ...e }) => ({
		...e,
		occurred_at: e.occurred_at.toISOString(),
		attrs: e.attrs ? (JSON.parse(e.attrs) as Record<string, unknown>) : null
	}));
	const tickets = new Map<string, TicketSpan>();
	for (const e of shown) {
		if (!e.ticket_id) continue;
		let t = tickets.get(e.ticket_id);
		if (!t) {
			t = {
				ticket_id: e.ticket_id,
				channel: e.channel,
				opened_at: e.occurred_at.toISOString(),
				first_reply_at: null,
				solved_at: null,
				reopened: false,
				events: 0
			};
			tickets.set(e.ticket_id, t);
		}
		t.events += 1;
		if (e.type === 'support_opened') t.opened_at = e.occurred_at.toISOString();
		if (e.type === 'support_reply' && !t.first_reply_at) t.first_reply_at = e.occurred_at.toISOString();
		if (e.type === 'support_solved') t.solved_at = e.occurred_at.toISOString();
		if (e.type === 'support_reopened') {
			t.reopened = true;
			t.solved_at = null;
		}
	}

	const st = settingsFor(settings, c.segment);
	const limit = c.tolerance ?? st.limit;
	const current = debtRow
		? debtAt({ debt: debtRow.debt, at: debtRow.updated_at.getTime() }, now, st.halfLifeDays)
		: 0;
	const series = debtSeries(
		contribs.map((x) => ({ at: x.occurred_at.getTime(), points: x.points })),
		st.halfLifeDays,
		now
	).map((p) => ({ at: new Date(p.at).toISOString(), debt: Math.round(p.debt * 100) / 100 }));

	let score: ScoreView | null = null;
	let reasons: unknown[] | null = [];
	if (hasScores) {
		const s = await db.one<Record<string, unknown>>(
			'SELECT * EXCLUDE (reasons), reasons::VARCHAR AS reasons FROM scores WHERE customer_id = $1 ORDER BY scored_at DESC LIMIT 1',
			[customerId]
		);
		if (s) {
			score = toScore(s);
			const r = parseJson(s.reasons);
			reasons = r === null ? null : relabelReasons(Array.isArray(r) ? r : [r]);
		}
	}
	let history: ScoreView[] = [];
	if (hasHistory) {
		history = (
			await db.all<Record<string, unknown>>(
				// The newest 1,000 in time order: a customer with frequent events is re-scored many times a day.
				'SELECT * FROM (SELECT * FROM score_history WHERE customer_id = $1 ORDER BY scored_at DESC LIMIT 1000) ORDER BY scored_at',
				[customerId]
			)
		).map(toScore);
	}

	const items = await listWorkItems(db, {
		customer_id: customerId,
		sort: 'created_at',
		dir: 'desc',
		limit: 200
	});
	const ids = items.map((i) => i.id);
	const [transitions, notes] = await Promise.all([listTransitions(db, ids), listWorkItemNotes(db, ids)]);

	return {
		profile: {
			customer_id: c.customer_id,
			name: c.name,
			segment: c.segment,
			plan: c.plan,
			region: c.region,
			signed_up_at: iso(c.signed_up_at),
			monthly_value: c.monthly_value,
			tolerance_override: c.tolerance,
			attrs: (parseJson(c.attrs) as Record<string, unknown> | null) ?? null,
			first_seen_at: iso(counts?.first_at),
			last_seen_at: iso(counts?.last_at),
			event_count: counts?.n ?? 0,
			cancelled_at: iso(counts?.left_at)
		},
		timeline: {
			events: timeline,
			tickets: [...tickets.values()],
			truncated,
			limit: TIMELINE_LIMIT,
			older: truncated && oldest ? { before: oldest.cursor_time, before_id: oldest.event_id } : null,
			before: older
		},
		debt: {
			current: Math.round(current * 100) / 100,
			limit,
			half_life_days: st.halfLifeDays,
			updated_at: iso(debtRow?.updated_at),
			crossed_at: current >= limit ? iso(debtRow?.crossed_at) : null,
			series,
			contributions: contribs
				.slice(-50)
				.reverse()
				.map((x) => ({
					event_id: x.event_id,
					occurred_at: x.occurred_at.toISOString(),
					kind: x.kind,
					label: EXPERIENCE_LABELS[x.kind as ExperienceKind] ?? x.kind,
					points: x.points
				}))
		},
		score,
		reasons,
		score_history: history,
		// Notes too, so the API gives what the page shows (work-list notes and the resolution's note).
		work_items: items.map((i) => ({
			...i,
			transitions: transitions.filter((t) => t.work_item_id === i.id),
			notes: notes.filter((n) => n.work_item_id === i.id)
		}))
	};
}
