// The work list query: whitelisted filters and sort keys, every value bound.
import type { DuckDBValue } from '@duckdb/node-api';
import type { Db } from '../db';
import { ITEM_COLUMNS, ITEM_FROM, toWorkItem, type WorkItemRow } from './work-items';
import { WORK_ITEM_STATES, type ListedWorkItem, type WorkItemState } from './work-item-types';
import { decayedDebtSql, limitSql, segmentSettingsJoinSql, toleranceSegmentsSql } from './debt-sql';
import { loadToleranceSettings } from './tolerance-settings';
import { sqlTs } from './sql-time';

export const SORT_KEYS = {
	priority: 'w.priority',
	created_at: 'w.created_at',
	updated_at: 'w.updated_at',
	monthly_value: 'w.monthly_value',
	probability: 'w.probability'
} as const;
export type SortKey = keyof typeof SORT_KEYS;

export interface WorkListQuery {
	segment?: string;
	assignee?: string;
	/** One or more states; none: every state. */
	state?: WorkItemState[];
	reason?: string;
	customer_id?: string;
	/**
	 * Only these items (`id=a,b,c`): an open work list re-reads its rows' debt and limit now through this
	 * query (live-debt.svelte.ts), so the figures it shows are the list's own.
	 */
	ids?: string[];
	sort?: SortKey;
	dir?: 'asc' | 'desc';
	limit?: number;
	/** Items skipped before the first one returned (paging through long lists). */
	offset?: number;
}

/** The parameters parseWorkListQuery reads; the API refuses others instead of ignoring a misspelt filter. */
export const WORK_LIST_PARAMS = ['segment', 'assignee', 'reason', 'customer_id', 'id', 'state', 'sort', 'dir', 'limit', 'offset'] as const;
export const MAX_OFFSET = 10_000_000;
/** Most ids one `id` filter takes: each is a bound parameter, and the page asks in chunks of this many. */
export const MAX_IDS = 200;

export type QueryResult =
	{ ok: true; value: WorkListQuery } | { ok: false; errors: { field: string; message: string }[] };

/** Parses URL search params into a query; unknown values are errors naming the parameter. */
export function parseWorkListQuery(sp: URLSearchParams): QueryResult {
	const errors: { field: string; message: string }[] = [];
	const q: WorkListQuery = {};
	for (const k of ['segment', 'assignee', 'reason', 'customer_id'] as const) {
		const v = sp.get(k);
		if (v) q[k] = v;
	}
	const state = sp.get('state');
	if (state) {
		const states = state
			.split(',')
			.map((s) => s.trim())
			.filter(Boolean);
		const bad = states.filter((s) => !WORK_ITEM_STATES.includes(s as WorkItemState));
		if (bad.length)
			errors.push({
				field: 'state',
				message: `unknown state ${bad.join(', ')}; use ${WORK_ITEM_STATES.join(', ')}`
			});
		else q.state = states as WorkItemState[];
	}
	const id = sp.get('id');
	if (id) {
		const ids = [...new Set(id.split(',').map((s) => s.trim()).filter(Boolean))];
		if (!ids.length || ids.length > MAX_IDS)
			errors.push({ field: 'id', message: `id must list 1 to ${MAX_IDS} work item ids, separated by commas` });
		else q.ids = ids;
	}
	const sort = sp.get('sort');
	// `-key` sorts ascending; otherwise `dir` (default desc) applies, to the default priority order too.
	const [key, dir] = sort?.startsWith('-') ? [sort.slice(1), 'asc'] : [sort, sp.get('dir') ?? 'desc'];
	if (key) {
		if (!Object.hasOwn(SORT_KEYS, key))
			errors.push({
				field: 'sort',
				message: `unknown sort key ${key}; use ${Object.keys(SORT_KEYS).join(', ')}`
			});
		else q.sort = key as SortKey;
	}
	if (dir !== 'asc' && dir !== 'desc') errors.push({ field: 'dir', message: 'dir must be asc or desc' });
	else if (sort || sp.has('dir')) q.dir = dir;
	const limit = sp.get('limit');
	if (limit) {
		const n = Number(limit);
		if (!Number.isInteger(n) || n < 1 || n > 5000)
			errors.push({ field: 'limit', message: 'limit must be a whole number from 1 to 5000' });
		else q.limit = n;
	}
	const offset = sp.get('offset');
	if (offset) {
		const n = Number(offset);
		if (!Number.isInteger(n) || n < 0 || n > MAX_OFFSET)
			errors.push({ field: 'offset', message: `offset must be a whole number from 0 to ${MAX_OFFSET.toLocaleString('en-US')}` });
		else q.offset = n;
	}
	return errors.length ? { ok: false, errors } : { ok: true, value: q };
}

/** The query's filters as a WHERE clause over work_items w joined to customers c, values bound. */
function filterSql(q: WorkListQuery): { where: string; params: DuckDBValue[]; bind: (v: DuckDBValue) => string } {
	const where: string[] = [];
	const params: DuckDBValue[] = [];
	const bind = (v: DuckDBValue) => {
		params.push(v);
		return `$${params.length}`;
	};
	if (q.segment) where.push(`c.segment = ${bind(q.segment)}`);
	if (q.assignee) where.push(`w.assignee = ${bind(q.assignee)}`);
	if (q.reason) where.push(`w.reason = ${bind(q.reason)}`);
	if (q.customer_id) where.push(`w.customer_id = ${bind(q.customer_id)}`);
	if (q.ids?.length) where.push(`w.id IN (${q.ids.map((i) => bind(i)).join(', ')})`);
	if (q.state?.length) where.push(`w.state IN (${q.state.map((s) => bind(s)).join(', ')})`);
	return { where: where.length ? `WHERE ${where.join(' AND ')}` : '', params, bind };
}

export async function listWorkItems(db: Db, q: WorkListQuery = {}, now = Date.now()): Promise<ListedWorkItem[]> {
	const { where, params, bind } = filterSql(q);
	// Ties (items opened in one tick, customers without a monthly value) go to the likelier churner first.
	const order = `${SORT_KEYS[q.sort ?? 'priority']} ${q.dir === 'asc' ? 'ASC' : 'DESC'} NULLS LAST, w.probability DESC NULLS LAST, w.created_at, w.id`;
	// A tolerance item's debt and limit now, in the list's one query with the SQL the customer list and the
	// alert matcher use (debt-sql.ts): its detail holds the debt it opened with, which decays or grows after.
	// No debt row: nothing counted, so 0 pts, as the customer's page says.
	const seg = toleranceSegmentsSql(await loadToleranceSettings(db), bind);
	const tolerance = `w.reason = 'tolerance'`;
	const sql = `WITH ${seg}
		SELECT ${ITEM_COLUMNS},
			CASE WHEN ${tolerance} THEN coalesce(${decayedDebtSql(bind(sqlTs(now)))}, 0) END AS debt_now,
			CASE WHEN ${tolerance} THEN ${limitSql('c')} END AS limit_now
		${ITEM_FROM}
		LEFT JOIN customer_debt d ON d.customer_id = w.customer_id
		${segmentSettingsJoinSql('c')}
		${where} ORDER BY ${order} LIMIT ${bind(q.limit ?? 500)} OFFSET ${bind(q.offset ?? 0)}`;
	const rows = await db.all<WorkItemRow & { debt_now: number | null; limit_now: number | null }>(sql, params);
	return rows.map(({ debt_now, limit_now, ...r }) => ({
		...toWorkItem(r),
		// Rounded as the customer list rounds it.
		debt_now: debt_now === null ? null : Math.round(debt_now * 10) / 10,
		limit_now
	}));
}

/** How many items match the query's filters (its limit aside), so a page can say what it leaves out. */
export async function countWorkItems(db: Db, q: WorkListQuery = {}): Promise<number> {
	const { where, params } = filterSql(q);
	const r = await db.one<{ n: number }>(
		`SELECT count(*)::INTEGER AS n FROM work_items w LEFT JOIN customers c ON c.customer_id = w.customer_id ${where}`,
		params
	);
	return r?.n ?? 0;
}
