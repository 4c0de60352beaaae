// Alert rules stored in alert_rules: create, update, delete, list, JSON export/import.
import { randomUUID } from 'node:crypto';
import type { Db } from '../db';
import { METRIC_IDS, findMetric } from '../metrics/definitions';
import {
	issuesToErrors,
	ruleInputSchema,
	type AlertRule,
	type FieldError,
	type RuleDefinition
} from './rule-schema';

type Result<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

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

/** Creates or replaces a rule (by id); a changed definition restarts its state at normal. */
export async function saveRule(db: Db, input: unknown): Promise<Result<AlertRule>> {
	const parsed = parseRule(input);
	if (!parsed.ok) return parsed;
	await db.write(async (conn) => upsertRule(conn, parsed.value));
	cache.delete(db);
	return parsed;
}

async function upsertRule(conn: Parameters<Parameters<Db['write']>[0]>[0], r: AlertRule): Promise<void> {
	await conn.run(
		`INSERT INTO alert_rules (id, name, kind, definition, enabled) VALUES ($1, $2, $3, $4::JSON, $5)
		 ON CONFLICT (id) DO UPDATE SET name = excluded.name, kind = excluded.kind, definition = excluded.definition,
			enabled = excluded.enabled, updated_at = now() AT TIME ZONE 'UTC'`,
		[r.id, r.name, r.definition.kind, JSON.stringify(r.definition), r.enabled]
	);
	await conn.run('DELETE FROM alert_state WHERE rule_id = $1', [r.id]);
}

export async function deleteRule(db: Db, id: string): Promise<boolean> {
	const deleted = await db.write(async (conn) => {
		const r = await conn.runAndReadAll('DELETE FROM alert_rules WHERE id = $1 RETURNING id', [id]);
		await conn.run('DELETE FROM alert_state WHERE rule_id = $1', [id]);
		return r.getRows().length > 0;
	});
	cache.delete(db);
	return deleted;
}

export interface RulesExport {
	version: 1;
	rules: AlertRule[];
}

export async function exportRules(db: Db): Promise<RulesExport> {
	return { version: 1, rules: await listRules(db) };
}

/** Imports a whole export: every rule is validated first, nothing is stored if one is invalid. */
export async function importRules(db: Db, body: unknown): Promise<Result<{ imported: number }>> {
	const rules = (body as { rules?: unknown })?.rules;
	if (!Array.isArray(rules))
		return { ok: false, errors: [{ field: 'rules', message: 'expected {"rules": [...]}' }] };
	const parsed: AlertRule[] = [];
	const errors: FieldError[] = [];
	rules.forEach((r, i) => {
		const p = parseRule(r, `rules.${i}.`);
		if (p.ok) parsed.push(p.value);
		else errors.push(...p.errors);
	});
	if (errors.length) return { ok: false, errors: errors.slice(0, 100) };
	await db.write(async (conn) => {
		for (const r of parsed) await upsertRule(conn, r);
	});
	cache.delete(db);
	return { ok: true, value: { imported: parsed.length } };
}
