// Rebuilds the demo world from what the database holds, so a live stream continues the stored
// history: the same customers (hidden traits re-derived from the seed), who has cancelled, who has
// gone quiet, current debt, open tickets, and where event and ticket numbering left off.
import type { Channel, EventType } from '../../shared/events';
import type { Db } from '../db';
import { createCustomer, parseCustomerIndex } from './customers';
import { expectedHiddenDebt } from './behaviour';
import { addDebt, debtAt, experienceOf, HALF_LIFE_DAYS, pointsOf } from './experience';
import { SEGMENT_PROFILES } from './segments';
import { DAY_MS } from './time-profile';
import type { SimCustomer } from './types';
import { DemoWorld } from './world';

/** Customers without any own activity for this long count as having drifted away. */
const QUIET_DAYS = 45;
const DEBT_LOOKBACK_DAYS = 150;
const OPEN_TICKET_DAYS = 14;
/** Recent activity is compared with the customer's own rate over the baseline window before it. */
const RECENT_DAYS = 30;
const BASELINE_DAYS = 120;

/** Silence that is unusual for this customer: a rare visitor is not gone after 45 quiet days. */
function quietDays(c: SimCustomer): number {
	const p = SEGMENT_PROFILES[c.segment];
	const perDay = (p.visitsPerDay + p.purchasesPerDay) * c.engagement;
	return Math.max(QUIET_DAYS, 4 / perDay);
}

export interface LoadedWorld {
	world: DemoWorld;
	/** Events per second this world produced over the last week at intensity 1 (0 when unknown). */
	naturalRate: number;
}

export async function loadWorld(db: Db, seed: number, now: number): Promise<LoadedWorld> {
	const counters = await db.one<{ n: number | null; t: number | null }>(
		`SELECT
			(SELECT max(TRY_CAST(split_part(event_id, '-', 3) AS BIGINT)) FROM events WHERE starts_with(event_id, $1)) AS n,
			(SELECT max(TRY_CAST(substr(ticket_id, length($1) + 2) AS BIGINT)) FROM events WHERE starts_with(ticket_id, $1 || 't')) AS t`,
		[`demo-${seed}-`]
	);
	const world = new DemoWorld({ seed, eventCounter: counters?.n ?? 0, ticketCounter: counters?.t ?? 0 });

	const rows = await db.all<{ customer_id: string; signed_up_ms: number | null; cancelled: boolean; last_ms: number | null; recent: number; earlier: number }>(
		`WITH acts AS (
			SELECT customer_id,
				count(*) FILTER (WHERE type = 'cancellation') > 0 AS cancelled,
				epoch_ms(max(occurred_at) FILTER (WHERE type NOT IN ('support_reply', 'support_solved', 'cancellation'))) AS last_ms,
				count(*) FILTER (WHERE type IN ('visit', 'purchase') AND epoch_ms(occurred_at) >= $1) AS recent,
				count(*) FILTER (WHERE type IN ('visit', 'purchase') AND epoch_ms(occurred_at) < $1
					AND epoch_ms(occurred_at) >= $2) AS earlier
			FROM events WHERE starts_with(customer_id, 'demo-c') GROUP BY customer_id
		)
		SELECT c.customer_id, epoch_ms(c.signed_up_at) AS signed_up_ms, coalesce(a.cancelled, false) AS cancelled,
			a.last_ms, coalesce(a.recent, 0) AS recent, coalesce(a.earlier, 0) AS earlier
		FROM customers c LEFT JOIN acts a ON a.customer_id = c.customer_id
		WHERE starts_with(c.customer_id, 'demo-c') ORDER BY c.customer_id`,
		[now - RECENT_DAYS * DAY_MS, now - BASELINE_DAYS * DAY_MS]
	);
	const activity = new Map<string, { recent: number; earlier: number }>();
	for (const r of rows) {
		const index = parseCustomerIndex(r.customer_id);
		if (index === null) continue;
		const c = createCustomer(seed, index, r.signed_up_ms ?? now);
		c.debtAt = now - DEBT_LOOKBACK_DAYS * DAY_MS;
		c.lastActiveAt = r.last_ms;
		if (r.cancelled) c.state = 'cancelled';
		else if (r.last_ms !== null && now - r.last_ms > quietDays(c) * DAY_MS) {
			c.state = 'disengaged';
			c.disengagedAt = r.last_ms;
			c.churnCause = 'random';
		}
		world.addCustomer(c);
		activity.set(c.id, { recent: r.recent, earlier: r.earlier });
	}

	const experiences = await db.all<{ customer_id: string; ms: number; type: string; rating: number | null }>(
		`SELECT customer_id, epoch_ms(occurred_at) AS ms, type, rating FROM events
		WHERE starts_with(customer_id, 'demo-c') AND epoch_ms(occurred_at) >= $1
			AND type IN ('survey_csat', 'survey_nps', 'survey_ces', 'complaint', 'refund', 'support_reopened', 'praise', 'purchase')
		ORDER BY occurred_at, event_id`,
		[now - DEBT_LOOKBACK_DAYS * DAY_MS]
	);
	for (const e of experiences) {
		const c = world.byId.get(e.customer_id);
		const kind = experienceOf({ type: e.type as EventType, rating: e.rating });
		if (c && kind) addDebt(c, pointsOf(kind), e.ms);
	}
	for (const c of world.customers) {
		// Debt nobody recorded: assume each customer carries their long-run average of it.
		addDebt(c, expectedHiddenDebt(c, HALF_LIFE_DAYS), now);
		// Past the limit, or well in debt and suddenly buying and visiting far less: disengaged.
		const a = activity.get(c.id);
		const earlierRate = a ? a.earlier / (BASELINE_DAYS - RECENT_DAYS) : 0;
		const recentRate = a ? a.recent / RECENT_DAYS : 0;
		const stopped = earlierRate * RECENT_DAYS >= 3 && recentRate < 0.3 * earlierRate;
		if (c.state === 'active' && debtAt(c, now) >= 0.5 * c.tolerance && stopped) {
			c.state = 'disengaged';
			c.disengagedAt = now;
			c.churnCause = 'tolerance';
		}
		if (c.state === 'active' && debtAt(c, now) >= c.tolerance) {
			c.state = 'disengaged';
			c.disengagedAt = now;
			c.churnCause = 'tolerance';
		}
	}

	const open = await db.all<{ customer_id: string; ticket_id: string; channel: Channel; opened_ms: number; replied: boolean; agent_id: string | null }>(
		`SELECT customer_id, ticket_id, any_value(channel) AS channel,
			epoch_ms(min(occurred_at) FILTER (WHERE type = 'support_opened')) AS opened_ms,
			count(*) FILTER (WHERE type = 'support_reply') > 0 AS replied,
			any_value(agent_id) FILTER (WHERE agent_id IS NOT NULL) AS agent_id
		FROM events WHERE starts_with(ticket_id, $1) AND epoch_ms(occurred_at) >= $2
		GROUP BY customer_id, ticket_id
		HAVING count(*) FILTER (WHERE type = 'support_opened') > 0
			AND max(occurred_at) FILTER (WHERE type = 'support_solved') IS NULL
		ORDER BY ticket_id`,
		[`demo-${seed}-t`, now - OPEN_TICKET_DAYS * DAY_MS]
	);
	for (const t of open) {
		const c = world.byId.get(t.customer_id);
		if (c) world.support.resumeTicket(c, t.ticket_id, t.channel, t.agent_id, t.replied, t.opened_ms, now);
	}

	return { world, naturalRate: await naturalRateOf(db, seed, now) };
}

/** Events per second the stored world produced over the last week (0 when unknown). */
export async function naturalRateOf(db: Db, seed: number, now: number): Promise<number> {
	const week = await db.one<{ n: number }>(
		`SELECT count(*) AS n FROM events WHERE starts_with(event_id, $1) AND epoch_ms(occurred_at) >= $2`,
		[`demo-${seed}-`, now - 7 * DAY_MS]
	);
	return (week?.n ?? 0) / (7 * 86_400);
}
