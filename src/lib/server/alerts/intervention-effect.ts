// "Do interventions work?": retention of customers someone in retention WORKED vs customers at a
// similar churn risk nobody worked, using resolved work items as the labels (issue item 6).
import type { Db } from '../db';
import { sqlTs } from './sql-time';
import { SYSTEM_ACTOR } from '../auth/actors';

/** Below this many customers in either group of a band, the band is shown but not compared. */
export const MIN_COMPARABLE = 20;
/** Fixed probability bands: model risk bands move between versions, these do not. */
export const PROBABILITY_BANDS = [
	{ from: 0, to: 0.2 },
	{ from: 0.2, to: 0.4 },
	{ from: 0.4, to: 0.6 },
	{ from: 0.6, to: 0.8 },
	{ from: 0.8, to: 1 }
] as const;

export interface GroupRetention {
	/** Customers in the group and band. */
	n: number;
	retained: number;
	/** retained / n, null when n is 0. */
	rate: number | null;
}

export interface BandEffect {
	/** Probability band [from, to); the last band includes 1. */
	from: number;
	to: number;
	worked: GroupRetention;
	notWorked: GroupRetention;
	/** Both groups have at least MIN_COMPARABLE customers. */
	comparable: boolean;
	/** worked.rate − notWorked.rate in percentage points, only when comparable. */
	differencePoints: number | null;
}

export interface InterventionEffect {
	asOf: string;
	/** Reference times considered: [periodStart, periodEnd]. */
	periodStart: string;
	periodEnd: string;
	inactivityDays: number;
	minComparable: number;
	bands: BandEffect[];
	/** Worked customers left out because no score existed before their item was created. */
	workedWithoutScore: number;
}

export interface InterventionEffectOptions {
	asOf?: Date;
	/** Length of the period of reference times, in days. */
	periodDays?: number;
	/** config().churnInactivityDays: the "lost" horizon. */
	inactivityDays: number;
}

interface Row {
	grp: 'worked' | 'not_worked';
	probability: number | null;
	retained: boolean;
}

/**
 * Retention per probability band of WORKED vs NOT WORKED customers.
 *
 * - Period: reference times in [asOf − inactivityDays − periodDays, asOf − inactivityDays], so every
 *   customer counted has had at least the full inactivity horizon to show whether they stayed.
 * - WORKED: a customer with a `resolved` work item created in the period that a person resolved (not
 *   one the alert loop closed by itself: condition cleared, customer cancelled); reference time = the
 *   creation of their first such item; risk = the `score_history` probability nearest before (or at)
 *   that time. Worked customers with no earlier score are counted in `workedWithoutScore` only.
 * - NOT WORKED: a customer with no work item at all (any state, any time) and a `score_history` row
 *   in the period; reference time = their latest score in the period; risk = that score.
 * - RETAINED: the customer has an event after the reference time (`customer_state.last_seen_at`
 *   > reference), was last seen within `inactivityDays` of `asOf`, and has no cancellation at or
 *   after the reference time (`customer_state.cancelled_at`). Anything else counts as lost.
 * - Small samples: a band is `comparable` only when both groups have ≥ MIN_COMPARABLE customers;
 *   otherwise the counts are shown and no difference is claimed. This is an observational
 *   comparison (who gets worked is not random), not a causal estimate.
 */
export async function computeInterventionEffect(
	db: Db,
	opts: InterventionEffectOptions
): Promise<InterventionEffect> {
	const asOfMs = (opts.asOf ?? new Date()).getTime();
	const day = 86_400_000;
	const endMs = asOfMs - opts.inactivityDays * day;
	const startMs = endMs - (opts.periodDays ?? 180) * day;
	const params = {
		start: sqlTs(startMs),
		end: sqlTs(endMs),
		lostBefore: sqlTs(asOfMs - opts.inactivityDays * day),
		system: SYSTEM_ACTOR
	};
	const rows = await db.all<Row>(
		`WITH worked AS (
			SELECT customer_id, min(created_at) AS ref_at FROM work_items w
			WHERE state = 'resolved' AND created_at >= $start::TIMESTAMP AND created_at <= $end::TIMESTAMP
				AND NOT EXISTS (SELECT 1 FROM work_item_transitions t
					WHERE t.work_item_id = w.id AND t.to_state = 'resolved' AND t.actor = $system)
			GROUP BY customer_id
		), worked_scored AS (
			SELECT w.customer_id, w.ref_at,
				(SELECT h.probability FROM score_history h
				 WHERE h.customer_id = w.customer_id AND h.scored_at <= w.ref_at
				 ORDER BY h.scored_at DESC LIMIT 1) AS probability
			FROM worked w
		), not_worked AS (
			SELECT h.customer_id, max(h.scored_at) AS ref_at, arg_max(h.probability, h.scored_at) AS probability
			FROM score_history h
			WHERE h.scored_at >= $start::TIMESTAMP AND h.scored_at <= $end::TIMESTAMP
			  AND NOT EXISTS (SELECT 1 FROM work_items w WHERE w.customer_id = h.customer_id)
			GROUP BY h.customer_id
		), both_groups AS (
			SELECT 'worked' AS grp, * FROM worked_scored
			UNION ALL
			SELECT 'not_worked' AS grp, customer_id, ref_at, probability FROM not_worked
		)
		SELECT g.grp, g.probability,
			coalesce(s.last_seen_at > g.ref_at
				AND s.last_seen_at >= $lostBefore::TIMESTAMP
				AND (s.cancelled_at IS NULL OR s.cancelled_at < g.ref_at), false) AS retained
		FROM both_groups g LEFT JOIN customer_state s ON s.customer_id = g.customer_id`,
		params
	);
	return {
		asOf: new Date(asOfMs).toISOString(),
		periodStart: new Date(startMs).toISOString(),
		periodEnd: new Date(endMs).toISOString(),
		inactivityDays: opts.inactivityDays,
		minComparable: MIN_COMPARABLE,
		bands: PROBABILITY_BANDS.map((b, i) => {
			const last = i === PROBABILITY_BANDS.length - 1;
			const inBand = (r: Row) =>
				r.probability !== null && r.probability >= b.from && (last ? r.probability <= b.to : r.probability < b.to);
			const worked = tally(rows.filter((r) => r.grp === 'worked' && inBand(r)));
			const notWorked = tally(rows.filter((r) => r.grp === 'not_worked' && inBand(r)));
			const comparable = worked.n >= MIN_COMPARABLE && notWorked.n >= MIN_COMPARABLE;
			return {
				from: b.from,
				to: b.to,
				worked,
				notWorked,
				comparable,
				differencePoints: comparable ? ((worked.rate ?? 0) - (notWorked.rate ?? 0)) * 100 : null
			};
		}),
		workedWithoutScore: rows.filter((r) => r.grp === 'worked' && r.probability === null).length
	};
}

function tally(rows: Row[]): GroupRetention {
	const retained = rows.filter((r) => r.retained).length;
	return { n: rows.length, retained, rate: rows.length ? retained / rows.length : null };
}
