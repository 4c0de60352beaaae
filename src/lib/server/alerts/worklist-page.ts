// Everything the work-list page shows, in one call (thin page load).
import type { Db } from '../db';
import type { Role } from '../../shared/auth-types';
import { listRuleStatuses, type RuleStatus } from './rule-status';
import { countWorkItems, listWorkItems, parseWorkListQuery, type WorkListQuery } from './work-item-list';
import { listTransitions } from './work-items';
import { listWorkItemNotes } from './work-item-notes';
import { listAssignableUsers } from './work-item-handover';
import type { ListedWorkItem, WorkItemNote, WorkItemTransition } from './work-item-types';
import { METRICS } from '../metrics/definitions';
import { config } from '../config';
import { defaultMinProbability, FALLBACK_MIN_PROBABILITY } from './churn-rule-default';

export interface WorkListPage {
	query: WorkListQuery;
	queryErrors: { field: string; message: string }[];
	items: (ListedWorkItem & { transitions: WorkItemTransition[]; notes: WorkItemNote[]; notes_count: number })[];
	/** Items matching the filters; more than items.length when the page's limit cut the list. */
	total: number;
	rules: RuleStatus[];
	segments: string[];
	assignees: string[];
	/** Who the viewer can hand an item to (enabled retention users and admins but the viewer); empty for read-only roles. */
	teammates: string[];
	/** `sample`: what a rule's minimum sample counts ('CSAT ratings'); null for a metric that counts none. */
	metrics: { id: string; label: string; unit: string; sample: string | null }[];
	canChangeItems: boolean;
	canEditRules: boolean;
	/** The rule editor's fixed churn probability until one is typed (churn-rule-default.ts). */
	churnMinProbability: number;
}

export async function loadWorkListPage(
	db: Db,
	sp: URLSearchParams,
	role: Role,
	username?: string
): Promise<WorkListPage> {
	const parsed = parseWorkListQuery(sp);
	// Default view: what still needs doing.
	const query: WorkListQuery = parsed.ok ? parsed.value : {};
	if (!sp.has('state')) query.state = ['open', 'claimed', 'snoozed'];
	const canEditRules = role === 'admin' || role === 'analyst';
	const canChangeItems = role === 'admin' || role === 'retention';
	const [items, total, rules, segments, assignees, teammates] = await Promise.all([
		listWorkItems(db, { ...query, limit: query.limit ?? 300 }),
		countWorkItems(db, query),
		// Rules and their notifications are alert configuration (README's role table): only their editors see them.
		canEditRules ? listRuleStatuses(db, 5) : Promise.resolve([]),
		db.all<{ segment: string }>('SELECT DISTINCT segment FROM customers ORDER BY segment'),
		db.all<{ assignee: string }>(
			'SELECT DISTINCT assignee FROM work_items WHERE assignee IS NOT NULL ORDER BY assignee'
		),
		canChangeItems ? listAssignableUsers(db, username) : Promise.resolve([])
	]);
	const itemIds = items.map((i) => i.id);
	const [transitions, notes] = await Promise.all([listTransitions(db, itemIds), listWorkItemNotes(db, itemIds)]);
	const byItem = new Map<string, WorkItemTransition[]>();
	for (const t of transitions) byItem.set(t.work_item_id, [...(byItem.get(t.work_item_id) ?? []), t]);
	const notesOf = new Map<string, WorkItemNote[]>();
	for (const n of notes) notesOf.set(n.work_item_id, [...(notesOf.get(n.work_item_id) ?? []), n]);
	return {
		query,
		queryErrors: parsed.ok ? [] : parsed.errors,
		items: items.map((i) => {
			const own = notesOf.get(i.id) ?? [];
			return { ...i, transitions: byItem.get(i.id) ?? [], notes: own, notes_count: own.length };
		}),
		total,
		rules,
		segments: segments.map((s) => s.segment),
		assignees: assignees.map((a) => a.assignee),
		teammates,
		metrics: METRICS.map((m) => ({ id: m.id, label: m.label, unit: m.unit, sample: m.sample?.many ?? null })),
		canChangeItems,
		canEditRules,
		// Read from the registry only for those who may open the rule editor.
		churnMinProbability: canEditRules ? defaultMinProbability(config().modelsDir) : FALLBACK_MIN_PROBABILITY
	};
}
