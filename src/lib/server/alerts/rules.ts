// Alert rules stored in alert_rules: create, update, delete, list, JSON export/import.
import { randomUUID } from 'node:crypto';
import type { Db } from '../db';
import { METRIC_IDS, findMetric } from '../metrics/definitions';
import { recordAudit } from '../auth/audit';
import { SYSTEM_ACTOR } from '../auth/actors';
import {
	issuesToErrors,
	ruleInputSchema,
	type AlertRule,
	type FieldError,
	type RuleDefinition
} from './rule-schema';
import { announceTransitions, endRuleStatesIn, NOTHING_ENDED, type EndedStates } from './rule-transitions';
import { scopeErrors } from './rule-scope';
import { itemsOfStoppedRulesMayExist, settleItemsOfStoppedRule } from './work-item-rule-stop';
import type { WorkItem } from './work-item-types';
import { publishItems } from './work-items';

type Result<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

/** When a change takes effect (tests pass a clock; the transitions it records carry this time). */
export interface ChangeOptions {
	now?: number;
}

interface RuleRow {
	id: string;
	name: string;
	enabled: boolean;
	definition: string;
}

const SELECT = 'SELECT id, name, enabled, definition::VARCHAR AS definition FROM alert_rules';

function fromRow(r: RuleRow): AlertRule {
	return {
		id: r.id,
		name: r.name,
		enabled: r.enabled,
		definition: JSON.parse(r.definition) as RuleDefinition
	};
}

/**
 * Rules change only through this module and one process owns the database, so the parsed list is
 * cached per database and dropped on every change (the ticker reads it every tick).
 */
const cache = new WeakMap<Db, Promise<AlertRule[]>>();

export async function listRules(db: Db): Promise<AlertRule[]> {
	let p = cache.get(db);
	if (!p) {
		p = db.all<RuleRow>(`${SELECT} ORDER BY name, id`).then((rows) => rows.map(fromRow));
		cache.set(db, p);
		p.catch(() => cache.delete(db));
	}
	return (await p).map((r) => ({ ...r }));
}

export async function getRule(db: Db, id: string): Promise<AlertRule | undefined> {
	const r = await db.one<RuleRow>(`${SELECT} WHERE id = $1`, [id]);
	return r && fromRow(r);
}

export function parseRule(input: unknown, prefix = ''): Result<AlertRule> {
	const p = ruleInputSchema.safeParse(input);
	if (!p.success) return { ok: false, errors: issuesToErrors(p.error.issues, prefix) };
	const def = p.data.definition;
	if (def.kind === 'metric' && !findMetric(def.metric)) {
		return {
			ok: false,
			errors: [
				{
					field: `${prefix}definition.metric`,
					message: `unknown metric ${def.metric}; use one of ${METRIC_IDS.join(', ')}`
				}
			]
		};
	}
	return { ok: true, value: { ...p.data, id: p.data.id ?? randomUUID() } };
}

/** parseRule, then the checks that need the database. */
async function checkRule(db: Db, input: unknown): Promise<Result<AlertRule>> {
	const parsed = parseRule(input);
	if (!parsed.ok) return parsed;
	const errors = await scopeErrors(db, [{ definition: parsed.value.definition, prefix: '' }]);
	return errors.length ? { ok: false, errors } : parsed;
}

/**
 * Creates or replaces a rule (by id), keeping its state as updateRule does. For seeding and tests: the
 * API creates with createRule and changes with updateRule, which never do the other.
 */
export async function saveRule(db: Db, input: unknown, opts: ChangeOptions = {}): Promise<Result<AlertRule>> {
	const parsed = await checkRule(db, input);
	if (!parsed.ok) return parsed;
	const now = opts.now ?? Date.now();
	const stopped = await db.write(async (conn) => storeRules(conn, [parsed.value], now, SYSTEM_ACTOR));
	cache.delete(db);
	await announceStopped(db, stopped, now);
	return parsed;
}

export type SaveRuleResult = Result<AlertRule> | { ok: false; status: 404 | 409; errors: FieldError[] };

async function ruleExists(conn: Conn, id: string): Promise<boolean> {
	return (await conn.runAndReadAll('SELECT 1 FROM alert_rules WHERE id = $1', [id])).getRows().length > 0;
}

/** A new rule; an id that is taken is a conflict, never a silent replacement (PUT changes a rule). */
export async function createRule(db: Db, input: unknown, actor = SYSTEM_ACTOR): Promise<SaveRuleResult> {
	const parsed = await checkRule(db, input);
	if (!parsed.ok) return parsed;
	const r = parsed.value;
	const created = await db.write(async (conn) => {
		if (await ruleExists(conn, r.id)) return false;
		await upsertRule(conn, r);
		// A new rule starts at normal, whatever a rule of the same id left behind.
		await conn.run('DELETE FROM alert_state WHERE rule_id = $1', [r.id]);
		await recordAudit(conn, { actor, action: 'alert-rule.create', subject: r.id, detail: ruleDetail(r) });
		return true;
	});
	if (!created) {
		const message = `a rule with id ${JSON.stringify(r.id)} already exists; change it with PUT /api/v1/alerts/rules/${r.id} or choose another id`;
		return { ok: false, status: 409, errors: [{ field: 'id', message }] };
	}
	cache.delete(db);
	return parsed;
}

/**
 * Changes the rule `id`; an unknown id is 404, not a new rule. As in Grafana, a rule that stays enabled
 * keeps its state (a firing rule does not go through pending again nor notify a second time) and its
 * next evaluation decides with the new definition; a rule disabled here ends at normal, recorded and
 * notified like any end of firing (endRuleStatesIn).
 */
export async function updateRule(
	db: Db,
	id: string,
	input: unknown,
	actor = SYSTEM_ACTOR,
	opts: ChangeOptions = {}
): Promise<SaveRuleResult> {
	const bodyId = input && typeof input === 'object' ? (input as { id?: unknown }).id : undefined;
	if (bodyId !== undefined && bodyId !== id)
		return { ok: false, errors: [{ field: 'id', message: `must be ${JSON.stringify(id)} as in the path, or left out (a rule cannot be renamed)` }] };
	const parsed = await checkRule(db, input && typeof input === 'object' ? { ...input, id } : input);
	if (!parsed.ok) return parsed;
	const now = opts.now ?? Date.now();
	const stopped = await db.write(async (conn) => {
		if (!(await ruleExists(conn, id))) return null;
		const out = await storeRules(conn, [parsed.value], now, actor);
		await recordAudit(conn, { actor, action: 'alert-rule.update', subject: id, detail: ruleDetail(parsed.value) });
		return out;
	});
	if (!stopped) return { ok: false, status: 404, errors: [{ field: 'id', message: `no alert rule ${id}` }] };
	cache.delete(db);
	await announceStopped(db, stopped, now);
	return parsed;
}

type Conn = Parameters<Parameters<Db['write']>[0]>[0];

/** What the audit log keeps of a rule: enough to tell which one, never a webhook or other secret. */
function ruleDetail(r: AlertRule): Record<string, string | boolean> {
	return { name: r.name, kind: r.definition.kind, enabled: r.enabled };
}

/** Stores the rule; its state is left alone (storeRules and deleteRule decide what happens to it). */
async function upsertRule(conn: Conn, r: AlertRule): Promise<void> {
	await conn.run(
		`INSERT INTO alert_rules (id, name, kind, definition, enabled) VALUES ($1, $2, $3, $4::JSON, $5)
		 ON CONFLICT (id) DO UPDATE SET name = excluded.name, kind = excluded.kind, definition = excluded.definition,
			enabled = excluded.enabled, updated_at = now() AT TIME ZONE 'UTC'`,
		[r.id, r.name, r.definition.kind, JSON.stringify(r.definition), r.enabled]
	);
}

async function readRulesIn(conn: Conn, ids: readonly string[]): Promise<AlertRule[]> {
	if (!ids.length) return [];
	const rows = (
		await conn.runAndReadAll(`${SELECT} WHERE id IN (SELECT unnest(from_json($1::JSON, '["VARCHAR"]')))`, [JSON.stringify(ids)])
	).getRowObjectsJS() as unknown as RuleRow[];
	return rows.map(fromRow);
}

/** What rules that stopped (disabled or deleted) leave to announce once their write has committed. */
interface Stopped {
	ended: EndedStates;
	/** Their work items closed or kept by a holder (work-item-rule-stop.ts). */
	items: WorkItem[];
}

const NOTHING_STOPPED: Stopped = { ended: NOTHING_ENDED, items: [] };

/**
 * Stores rules (new or changed). Enabled ones keep their state for the next evaluation to judge; the
 * state of a rule stored disabled ends at normal, under the name and definition it had while it was
 * evaluated (what a chat channel saw firing is what it sees resolved), and the work items of a rule
 * that was enabled until now are settled under that name too.
 */
async function storeRules(
	conn: Conn,
	rules: readonly AlertRule[],
	now: number,
	actor: string
): Promise<Stopped> {
	const disabled = rules.filter((r) => !r.enabled);
	const before = new Map((await readRulesIn(conn, disabled.map((r) => r.id))).map((r) => [r.id, r]));
	for (const r of rules) await upsertRule(conn, r);
	if (!disabled.length) return NOTHING_STOPPED;
	const ended = await endRuleStatesIn(conn, disabled.map((r) => before.get(r.id) ?? r), now, `rule disabled by ${actor}`);
	const items: WorkItem[] = [];
	// A rule that was disabled already had its items settled then; editing it again changes nothing for them.
	for (const r of disabled) {
		const was = before.get(r.id);
		if (was?.enabled) items.push(...(await settleItemsOfStoppedRule(conn, was, 'disabled', actor, now)));
	}
	return { ended, items };
}

async function announceStopped(db: Db, { ended, items }: Stopped, now: number): Promise<void> {
	// A stopped rule with more open items than the write closed leaves the rest to the tick.
	if (items.length) itemsOfStoppedRulesMayExist();
	if (ended.transitions.length || ended.notifications.length) await announceTransitions(db, ended.rules, ended.transitions, ended.notifications, now);
	await publishItems(db, items, new Date(now).toISOString());
}

/**
 * Deletes a rule; a firing (or pending, recovering) rule first ends at normal, recorded and notified, and
 * its work items are settled (open ones closed, held ones kept by their holder) under its name.
 */
export async function deleteRule(db: Db, id: string, actor = SYSTEM_ACTOR, opts: ChangeOptions = {}): Promise<boolean> {
	const now = opts.now ?? Date.now();
	const stopped = await db.write(async (conn): Promise<Stopped | null> => {
		const rules = await readRulesIn(conn, [id]);
		if (!rules.length) return null;
		const ended = await endRuleStatesIn(conn, rules, now, `rule deleted by ${actor}`);
		const items = await settleItemsOfStoppedRule(conn, rules[0], 'deleted', actor, now);
		await conn.run('DELETE FROM alert_rules WHERE id = $1', [id]);
		await recordAudit(conn, { actor, action: 'alert-rule.delete', subject: id });
		return { ended, items };
	});
	cache.delete(db);
	if (!stopped) return false;
	await announceStopped(db, stopped, now);
	return true;
}

/** The only export format this server writes and reads. */
export const RULES_EXPORT_VERSION = 1;

export interface RulesExport {
	version: typeof RULES_EXPORT_VERSION;
	rules: AlertRule[];
}

export async function exportRules(db: Db): Promise<RulesExport> {
	return { version: RULES_EXPORT_VERSION, rules: await listRules(db) };
}

/** Imports a whole export: every rule is validated first, nothing is stored if one is invalid. */
export async function importRules(
	db: Db,
	body: unknown,
	actor = SYSTEM_ACTOR,
	opts: ChangeOptions = {}
): Promise<Result<{ imported: number }>> {
	if (!body || typeof body !== 'object' || Array.isArray(body))
		return { ok: false, errors: [{ field: '(body)', message: `expected {"version": ${RULES_EXPORT_VERSION}, "rules": [...]} as GET /api/v1/alerts/rules/export writes it` }] };
	const { version, rules, ...rest } = body as { version?: unknown; rules?: unknown };
	const errors: FieldError[] = Object.keys(rest).map((k) => ({ field: k, message: `unknown key ${JSON.stringify(k)}; an export has only version and rules` }));
	// A file from another format version is refused whole rather than read with guessed meanings.
	if (version === undefined)
		errors.push({ field: 'version', message: `version is required: ${RULES_EXPORT_VERSION}, as GET /api/v1/alerts/rules/export writes it` });
	else if (version !== RULES_EXPORT_VERSION)
		errors.push({ field: 'version', message: `unsupported version ${JSON.stringify(version)}; this server reads version ${RULES_EXPORT_VERSION} exports only` });
	if (!Array.isArray(rules)) errors.push({ field: 'rules', message: 'expected {"rules": [...]}' });
	if (errors.length || !Array.isArray(rules)) return { ok: false, errors };
	const parsed: AlertRule[] = [];
	const firstIndex = new Map<string, number>();
	rules.forEach((r, i) => {
		const p = parseRule(r, `rules.${i}.`);
		if (!p.ok) {
			errors.push(...p.errors);
			return;
		}
		parsed.push(p.value);
		// Two entries with one id would both count as imported while the second silently replaced the first.
		const seen = firstIndex.get(p.value.id);
		if (seen === undefined) firstIndex.set(p.value.id, i);
		else errors.push({ field: `rules.${i}.id`, message: `duplicate id ${JSON.stringify(p.value.id)} (rules.${seen} and rules.${i}); ids must be unique` });
	});
	if (!errors.length) errors.push(...(await scopeErrors(db, parsed.map((r, i) => ({ definition: r.definition, prefix: `rules.${i}.` })))));
	if (errors.length) return { ok: false, errors: errors.slice(0, 100) };
	const now = opts.now ?? Date.now();
	const stopped = await db.write(async (conn) => {
		const out = await storeRules(conn, parsed, now, actor);
		await recordAudit(conn, { actor, action: 'alert-rule.import', subject: `${parsed.length} rule(s)`, detail: { ids: parsed.map((r) => r.id).join(', ').slice(0, 500) } });
		return out;
	});
	cache.delete(db);
	await announceStopped(db, stopped, now);
	return { ok: true, value: { imported: parsed.length } };
}
