// Which customers each enabled customer rule matches now, decided in DuckDB: the server gets the
// match count per rule, the matching customers who have no unresolved item (the only ones a tick can
// alert) and the open items whose rule no longer matches. Customers who already have an item stay in
// DuckDB: after a large import 87,000 of them were read into the server on every customer-rule run
// (~0.5 s of event loop each time).
import type { DuckDBValue } from '@duckdb/node-api';
import type { Db } from '../db';
import { sqlTs } from './sql-time';
import type { AlertRule, CustomerRuleDef } from './rule-schema';
import { isMetricRule } from './rule-schema';
import { loadToleranceSettings } from './tolerance-settings';
import { decayedDebtSql, limitSql, segmentSettingsJoinSql, toleranceSegmentsSql } from './debt-sql';
import type { ClearedItem } from './work-item-upkeep';
import { ITEM_CHANGES_PER_TICK, REOPEN_COOLDOWN_DAYS, startsCooldownSql } from './work-item-types';

export async function hasTable(db: Db, name: string): Promise<boolean> {
	const r = await db.one<{ n: number }>(
		`SELECT count(*)::INTEGER AS n FROM information_schema.tables WHERE table_name = $1`,
		[name]
	);
	return (r?.n ?? 0) > 0;
}

/**
 * SQL: the customer_state row `cs` belongs to a customer who has left, i.e. cancelled and has not bought
 * since. Customer rules skip them: a retention list is for customers who are still there (on the demo
 * world 382 of 445 open items were customers who had already cancelled, all 267 churn-risk items among them).
 */
export const hasLeftSql = (cs: string) =>
	`coalesce(${cs}.cancelled_at > coalesce(${cs}.last_purchase_at, '-infinity'::TIMESTAMP), false)`;

/** The latest score per customer, when the churn module's `scores` table exists. */
export function latestScoresSql(): string {
	return `SELECT customer_id, arg_max(probability, scored_at) AS probability, arg_max(risk_band, scored_at) AS risk_band
		FROM scores GROUP BY customer_id`;
}

/** The bands a churn rule's minimum band admits ("medium" admits "high" too). */
const bandsFrom = (min: 'high' | 'medium'): string[] => (min === 'high' ? ['high'] : ['medium', 'high']);

/** A customer without an unresolved item who matches at least one enabled customer rule. */
export interface CustomerCandidate {
	customer_id: string;
	monthly_value: number;
	/** Ids of the enabled customer rules this customer matches, in rule order. */
	matches: readonly string[];
	/** Experience debt decayed to now, and the limit it is judged against (tolerance matches). */
	debt: number | null;
	limit: number | null;
	probability: number | null;
	/** Last activity (epoch ms), for silent matches. */
	last_event_at: number | null;
	/** Reasons of this customer's items resolved within the re-open cool-down: no new item for them. */
	cooling_reasons: readonly string[];
}

export interface CustomerMatches {
	/** Customers matching each enabled customer rule, with or without an open item. */
	counts: ReadonlyMap<string, number>;
	candidates: readonly CustomerCandidate[];
	/** Unclaimed open items whose rule was evaluated and no longer matches, oldest first. */
	cleared: readonly ClearedItem[];
}

interface MatchQuery {
	/** WITH … m: one row per customer that may match, with a boolean m0, m1, … per rule. */
	withM: string;
	params: DuckDBValue[];
	rules: { id: string; def: CustomerRuleDef }[];
	/** Adds a parameter (after the ones withM uses) and returns its placeholder. */
	bind: (v: DuckDBValue) => string;
	/** Placeholder of `now`. */
	now: string;
}

/**
 * Only customers that may match are looked at: debt is decayed to `now` in SQL against each segment's
 * half-life and limit (customer override first), so 100,000 customers cost one scan, not 100,000 rows.
 */
async function matchQuery(db: Db, rules: readonly AlertRule[], now: number): Promise<MatchQuery | null> {
	const own = rules.flatMap((r) =>
		r.enabled && !isMetricRule(r.definition) ? [{ id: r.id, def: r.definition }] : []
	);
	if (!own.length) return null;
	const params: DuckDBValue[] = [];
	const bind = (v: DuckDBValue) => {
		params.push(v);
		return `$${params.length}`;
	};
	const defs = own.map((r) => r.def);
	const churn = defs.flatMap((d) => (d.kind === 'churn' ? [d] : []));
	const churnProbabilities = churn.flatMap((d) => (d.min_probability !== undefined ? [d.min_probability] : []));
	const churnBands = [...new Set(churn.flatMap((d) => (d.min_risk_band !== undefined ? bandsFrom(d.min_risk_band) : [])))];
	const silent = defs.flatMap((d) => (d.kind === 'silent' ? [d] : []));
	const scores = churn.length > 0 && (await hasTable(db, 'scores'));
	const nowTs = bind(sqlTs(now));
	const seg = toleranceSegmentsSql(await loadToleranceSettings(db), bind);
	const d = defs.some((x) => x.kind === 'tolerance')
		? `SELECT * FROM (
				SELECT d.customer_id, ${decayedDebtSql(nowTs)} AS debt_now, ${limitSql('c')} AS lim
				FROM customer_debt d
				LEFT JOIN customers c ON c.customer_id = d.customer_id
				${segmentSettingsJoinSql('c')}
			) WHERE debt_now >= lim`
		: 'SELECT NULL::TEXT AS customer_id, NULL::DOUBLE AS debt_now, NULL::DOUBLE AS lim WHERE false';
	const scoreFilters = [
		...(churnProbabilities.length ? [`probability >= ${bind(Math.min(...churnProbabilities))}`] : []),
		...(churnBands.length ? [`risk_band IN (${churnBands.map((b) => bind(b)).join(', ')})`] : [])
	];
	const s = scores
		? `SELECT * FROM (${latestScoresSql()}) WHERE ${scoreFilters.join(' OR ')}`
		: 'SELECT NULL::TEXT AS customer_id, NULL::DOUBLE AS probability, NULL::TEXT AS risk_band WHERE false';
	const l = silent.length
		? `SELECT st.customer_id, st.last_seen_at AS last_at FROM customer_state st
			WHERE st.last_seen_at <= ${nowTs}::TIMESTAMP - INTERVAL 1 DAY * ${bind(Math.min(...silent.map((x) => x.days)))}::INTEGER
				AND st.customer_id IN (SELECT customer_id FROM customers WHERE monthly_value >= ${bind(Math.min(...silent.map((x) => x.min_monthly_value)))})`
		: 'SELECT NULL::TEXT AS customer_id, NULL::TIMESTAMP AS last_at WHERE false';
	const predicate = (def: CustomerRuleDef): string => {
		switch (def.kind) {
			case 'tolerance':
				return 'd.customer_id IS NOT NULL';
			case 'churn':
				return def.min_risk_band !== undefined
					? `coalesce(s.risk_band IN (${bandsFrom(def.min_risk_band).map((b) => bind(b)).join(', ')}), false)`
					: `coalesce(s.probability >= ${bind(def.min_probability ?? 0)}::DOUBLE, false)`;
			case 'silent':
				return `coalesce(c.monthly_value >= ${bind(def.min_monthly_value)}::DOUBLE
					AND l.last_at <= ${nowTs}::TIMESTAMP - INTERVAL 1 DAY * ${bind(def.days)}::INTEGER, false)`;
		}
	};
	const withM = `WITH ${seg},
		d AS (${d}), s AS (${s}), l AS (${l}),
		ids AS (SELECT customer_id FROM d UNION SELECT customer_id FROM s UNION SELECT customer_id FROM l),
		open_items AS (SELECT DISTINCT customer_id FROM work_items WHERE state <> 'resolved'),
		m AS MATERIALIZED (
			SELECT c.customer_id, coalesce(c.monthly_value, 0) AS monthly_value, d.debt_now, d.lim, s.probability,
				epoch_ms(l.last_at)::DOUBLE AS last_at_ms,
				o.customer_id IS NOT NULL AS has_open_item,
				${own.map((r, i) => `${predicate(r.def)} AS m${i}`).join(',\n\t\t\t\t')}
			FROM ids JOIN customers c ON c.customer_id = ids.customer_id
				LEFT JOIN d ON d.customer_id = c.customer_id LEFT JOIN s ON s.customer_id = c.customer_id
				LEFT JOIN l ON l.customer_id = c.customer_id LEFT JOIN open_items o ON o.customer_id = c.customer_id
				LEFT JOIN customer_state cs ON cs.customer_id = c.customer_id
			WHERE NOT ${hasLeftSql('cs')}
		)`;
	return { withM, params, rules: own, bind, now: nowTs };
}

type MatchRow = {
	customer_id: string | null;
	monthly_value: number;
	debt_now: number | null;
	lim: number | null;
	probability: number | null;
	last_at_ms: number | null;
	cooling: string | null;
	item_id: string | null;
	item_customer_id: string | null;
	item_rule_id: string | null;
	item_reason: string | null;
	item_left: boolean | null;
} & Record<string, unknown>;

/**
 * Customer rules matched against every customer who may match, in DuckDB. `clearedLimit` bounds the
 * cleared items returned (a tick closes at most that many).
 */
export async function loadCustomerMatches(
	db: Db,
	rules: readonly AlertRule[],
	now = Date.now(),
	clearedLimit = ITEM_CHANGES_PER_TICK
): Promise<CustomerMatches> {
	const q = await matchQuery(db, rules, now);
	if (!q) return { counts: new Map(), candidates: [], cleared: [] };
	const cols = q.rules.map((_, i) => `m${i}`);
	const ids = q.rules.map((r) => q.bind(r.id));
	// One statement, so the matching (mostly the debt decay over every customer with debt) runs once:
	// candidate rows, each carrying the counts (one row with a NULL customer when there is none), and
	// cleared-item rows, told apart by item_id.
	const rows = await db.all<MatchRow>(
		`${q.withM},
		n AS (SELECT ${cols.map((c, i) => `count(*) FILTER (WHERE ${c})::INTEGER AS n${i}`).join(', ')} FROM m),
		cool AS (SELECT cw.customer_id, string_agg(DISTINCT cw.reason, ',') AS reasons FROM work_items cw
			WHERE cw.state = 'resolved' AND cw.updated_at > ${q.now}::TIMESTAMP - INTERVAL ${REOPEN_COOLDOWN_DAYS} DAY
				AND ${startsCooldownSql('cw')} GROUP BY cw.customer_id),
		x AS (SELECT m.*, cool.reasons AS cooling FROM m LEFT JOIN cool ON cool.customer_id = m.customer_id
			WHERE NOT m.has_open_item AND (${cols.join(' OR ')})),
		matched(rule_id, customer_id) AS (${ids.map((id, i) => `SELECT ${id}, customer_id FROM m WHERE m${i}`).join(' UNION ALL ')}),
		cleared AS (
			SELECT w.id AS item_id, w.customer_id AS item_customer_id, w.rule_id AS item_rule_id, w.reason AS item_reason,
				${hasLeftSql('cs')} AS item_left, row_number() OVER (ORDER BY w.created_at, w.id) AS item_order
			FROM work_items w LEFT JOIN customer_state cs ON cs.customer_id = w.customer_id
			WHERE w.state = 'open' AND w.rule_id IN (${ids.join(', ')})
				AND NOT EXISTS (SELECT 1 FROM matched x WHERE x.rule_id = w.rule_id AND x.customer_id = w.customer_id)
			ORDER BY item_order LIMIT ${q.bind(clearedLimit)}
		)
		SELECT * FROM (SELECT n.*, x.* FROM n LEFT JOIN x ON true UNION ALL BY NAME SELECT * FROM cleared)
		ORDER BY item_order NULLS FIRST, customer_id`,
		q.params
	);
	const countsRow = rows.find((r) => r.item_id === null);
	const counts = new Map(q.rules.map((r, i) => [r.id, Number(countsRow?.[`n${i}`] ?? 0)]));
	const candidates: CustomerCandidate[] = [];
	const cleared: ClearedItem[] = [];
	for (const r of rows) {
		if (r.item_id !== null)
			cleared.push({
				id: r.item_id,
				customer_id: r.item_customer_id!,
				rule_id: r.item_rule_id!,
				reason: r.item_reason!,
				left: r.item_left === true
			});
		else if (r.customer_id !== null)
			candidates.push({
				customer_id: r.customer_id,
				monthly_value: r.monthly_value,
				matches: q.rules.flatMap((rule, i) => (r[`m${i}`] ? [rule.id] : [])),
				debt: r.debt_now,
				limit: r.lim,
				probability: r.probability,
				last_event_at: r.last_at_ms,
				cooling_reasons: r.cooling ? r.cooling.split(',') : []
			});
	}
	return { counts, candidates, cleared };
}
