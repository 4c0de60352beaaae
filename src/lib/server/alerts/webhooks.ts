// Webhook destinations, routing of rule notifications, delivery with retries and exponential
// backoff, and the delivery log.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Db } from '../db';
import { issuesToErrors, type FieldError } from './rule-schema';
import { listRules } from './rules';
import { sqlTs } from './sql-time';
import { backoffMs, DEFAULT_TEMPLATE, TEMPLATE_FIELDS, testNotificationVars, unclosedPlaceholders, unknownPlaceholders, webhookBody, type TemplateVars } from './webhook-template';
import { webhookTargetRefusal } from './webhook-target';
import { recordAudit } from '../auth/audit';
import { SYSTEM_ACTOR } from '../auth/actors';

export const MAX_ATTEMPTS = 6;

export interface DeliveryOptions {
	/** Backoff base (ms): attempts follow after base, 2×base, 4×base, … */
	baseMs?: number;
	maxAttempts?: number;
	timeoutMs?: number;
	now?: () => number;
}

export interface Destination {
	id: string;
	name: string;
	url: string;
	template: string;
	all_rules: boolean;
	rule_ids: string[];
	enabled: boolean;
}

const destinationSchema = z
	.object({
		name: z.string().trim().min(1).max(200),
		url: z.url({ protocol: /^https?$/, error: 'url must be an http(s) URL' }),
		template: z
			.string()
			.min(1)
			.max(4000)
			.default(DEFAULT_TEMPLATE)
			.superRefine((t, ctx) => {
				// Refused here rather than sent as written: the typo would only show in the first real alert.
				const unknown = unknownPlaceholders(t);
				if (unknown.length > 0) {
					ctx.addIssue({ code: 'custom', message: `unknown placeholder ${unknown.join(', ')}; use ${TEMPLATE_FIELDS.map((f) => `{{${f}}}`).join(', ')}` });
				}
				const unclosed = unclosedPlaceholders(t);
				if (unclosed.length > 0) ctx.addIssue({ code: 'custom', message: `${unclosed.join(', ')} is not closed: end each placeholder with }}` });
			}),
		all_rules: z.boolean().default(true),
		rule_ids: z.array(z.string().min(1)).default([]),
		enabled: z.boolean().default(true)
	})
	.refine((d) => d.all_rules || d.rule_ids.length > 0, {
		message: 'name at least one rule in rule_ids, or set all_rules (this destination would receive nothing)',
		path: ['rule_ids']
	});

export async function createDestination(
	db: Db,
	input: unknown,
	actor = SYSTEM_ACTOR
): Promise<{ ok: true; value: Destination } | { ok: false; errors: FieldError[] }> {
	const p = destinationSchema.safeParse(input);
	if (!p.success) return { ok: false, errors: issuesToErrors(p.error.issues) };
	const target = await webhookTargetRefusal(p.data.url);
	if (target) return { ok: false, errors: [{ field: 'url', message: target }] };
	if (!p.data.all_rules) {
		const known = new Set((await listRules(db)).map((r) => r.id));
		const unknown = p.data.rule_ids.filter((id) => !known.has(id));
		if (unknown.length > 0) return { ok: false, errors: [{ field: 'rule_ids', message: `no alert rule ${unknown.map((id) => JSON.stringify(id)).join(', ')}` }] };
	}
	const d: Destination = { id: randomUUID(), ...p.data };
	await db.write(async (conn) => {
		await conn.run(
			'INSERT INTO webhook_destinations (id, name, url, template, all_rules, rule_ids, enabled) VALUES ($1, $2, $3, $4, $5, $6::JSON, $7)',
			[d.id, d.name, d.url, d.template, d.all_rules, JSON.stringify(d.rule_ids), d.enabled]
		);
		// The host only: a webhook URL's path is its secret.
		await recordAudit(conn, { actor, action: 'webhook.create', subject: d.name, detail: { id: d.id, host: new URL(d.url).host } });
	});
	return { ok: true, value: d };
}

// What PATCH may change; a key left out keeps its value. Strict: a misspelt key ("enabeld") would
// otherwise be dropped and the request answered 200 while nothing changed.
const DESTINATION_KEYS = ['name', 'url', 'template', 'all_rules', 'rule_ids', 'enabled'] as const;
// The values themselves are checked after merging, by the create schema.
const destinationPatchSchema = z.strictObject(
	{
		name: z.unknown().optional(),
		url: z.unknown().optional(),
		template: z.unknown().optional(),
		all_rules: z.unknown().optional(),
		rule_ids: z.unknown().optional(),
		enabled: z.unknown().optional()
	},
	{ error: `expected an object with any of ${DESTINATION_KEYS.join(', ')}` }
);

/**
 * Changes a destination: the keys given replace the stored ones and the result is validated as a new
 * destination would be (URL target, placeholders, routed rules). Null when no destination `id` exists.
 */
export async function updateDestination(
	db: Db,
	id: string,
	input: unknown,
	actor = SYSTEM_ACTOR
): Promise<{ ok: true; value: Destination } | { ok: false; errors: FieldError[] } | null> {
	const patch = destinationPatchSchema.safeParse(input);
	const current = (await listDestinations(db)).find((d) => d.id === id);
	if (!current) return null;
	if (!patch.success) return { ok: false, errors: issuesToErrors(patch.error.issues) };
	// The create schema drops the stored id (it is not strict).
	const merged = { ...current, ...Object.fromEntries(Object.entries(patch.data).filter(([, v]) => v !== undefined)) };
	const p = destinationSchema.safeParse(merged);
	if (!p.success) return { ok: false, errors: issuesToErrors(p.error.issues) };
	// The stored URL was checked when saved (and is again before each request): only a new one here.
	if (p.data.url !== current.url) {
		const target = await webhookTargetRefusal(p.data.url);
		if (target) return { ok: false, errors: [{ field: 'url', message: target }] };
	}
	if (!p.data.all_rules) {
		const known = new Set((await listRules(db)).map((r) => r.id));
		const unknown = p.data.rule_ids.filter((r) => !known.has(r));
		if (unknown.length > 0) return { ok: false, errors: [{ field: 'rule_ids', message: `no alert rule ${unknown.map((r) => JSON.stringify(r)).join(', ')}` }] };
	}
	const d: Destination = { id, ...p.data };
	const changed = DESTINATION_KEYS.filter((k) => JSON.stringify(d[k]) !== JSON.stringify(current[k]));
	await db.write(async (conn) => {
		await conn.run(
			'UPDATE webhook_destinations SET name = $2, url = $3, template = $4, all_rules = $5, rule_ids = $6::JSON, enabled = $7 WHERE id = $1',
			[id, d.name, d.url, d.template, d.all_rules, JSON.stringify(d.rule_ids), d.enabled]
		);
		// Which fields changed and the host, never the URL itself (its path is the secret).
		await recordAudit(conn, { actor, action: 'webhook.update', subject: d.name, detail: { id, host: new URL(d.url).host, changed: changed.join(', ') } });
	});
	return { ok: true, value: d };
}

export async function listDestinations(db: Db): Promise<Destination[]> {
	const rows = await db.all<Omit<Destination, 'rule_ids'> & { rule_ids: string }>(
		'SELECT id, name, url, template, all_rules, rule_ids::VARCHAR AS rule_ids, enabled FROM webhook_destinations ORDER BY name'
	);
	return rows.map((r) => ({ ...r, rule_ids: JSON.parse(r.rule_ids) as string[] }));
}

/**
 * Enabled destinations the server will not post to (an internal address saved before such targets were
 * refused, or with CX_WEBHOOK_ALLOW_PRIVATE=on since turned off): name, host (never the URL: its path is
 * the secret) and why, for a warning at start instead of a silent failure in the delivery log.
 */
export async function refusedDestinations(db: Db): Promise<{ name: string; host: string; reason: string }[]> {
	const out: { name: string; host: string; reason: string }[] = [];
	for (const d of await listDestinations(db)) {
		if (!d.enabled) continue;
		const reason = await webhookTargetRefusal(d.url);
		if (reason) out.push({ name: d.name, host: new URL(d.url).host, reason });
	}
	return out;
}

export async function deleteDestination(db: Db, id: string, actor = SYSTEM_ACTOR): Promise<boolean> {
	return db.write(async (conn) => {
		const r = await conn.runAndReadAll('DELETE FROM webhook_destinations WHERE id = $1 RETURNING name', [id]);
		const row = r.getRows()[0];
		if (row) await recordAudit(conn, { actor, action: 'webhook.delete', subject: String(row[0]), detail: { id } });
		return row !== undefined;
	});
}

export interface NotificationRequest {
	ruleId: string | null;
	vars: TemplateVars;
}

/** Queues one delivery per destination routed for each rule change; sent by processDueDeliveries. */
export async function queueNotifications(
	db: Db,
	requests: readonly NotificationRequest[],
	now = Date.now()
): Promise<string[]> {
	if (!requests.length) return [];
	const dests = (await listDestinations(db)).filter((d) => d.enabled);
	const rows: { id: string; destination_id: string; rule_id: string | null; payload: string }[] = [];
	for (const r of requests) {
		for (const d of dests) {
			if (!d.all_rules && !(r.ruleId !== null && d.rule_ids.includes(r.ruleId))) continue;
			rows.push({
				id: randomUUID(),
				destination_id: d.id,
				rule_id: r.ruleId,
				payload: JSON.stringify(webhookBody(d.template, r.vars))
			});
		}
	}
	if (!rows.length) return [];
	await db.write(async (conn) => {
		await conn.run(
			`INSERT INTO webhook_deliveries (id, destination_id, rule_id, payload, status, next_attempt_at, created_at)
			 SELECT r.id, r.destination_id, r.rule_id, r.payload::JSON, 'pending', $2::TIMESTAMP, $2::TIMESTAMP
			 FROM (SELECT unnest(from_json($1::JSON, '[{"id":"VARCHAR","destination_id":"VARCHAR","rule_id":"VARCHAR","payload":"VARCHAR"}]')) AS r)`,
			[JSON.stringify(rows), sqlTs(now)]
		);
	});
	return rows.map((r) => r.id);
}

type Attempt = { ok: true; status: number } | { ok: false; status: number | null; error: string };

export async function postWebhook(url: string, body: unknown, timeoutMs = 10_000): Promise<Attempt> {
	// Again at each request: what a name resolves to may have changed since the destination was saved.
	const target = await webhookTargetRefusal(url);
	if (target) return { ok: false, status: null, error: target };
	try {
		const r = await fetch(url, {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'user-agent': 'cx-command' },
			body: JSON.stringify(body),
			// A redirect could lead to an internal address the check above never saw.
			redirect: 'manual',
			signal: AbortSignal.timeout(timeoutMs)
		});
		await r.body?.cancel();
		return r.ok ? { ok: true, status: r.status } : { ok: false, status: r.status, error: `HTTP ${r.status}` };
	} catch (e) {
		return { ok: false, status: null, error: e instanceof Error ? e.message : String(e) };
	}
}

/** Sends every delivery that is due; failures are rescheduled with backoff until MAX_ATTEMPTS. */
export async function processDueDeliveries(
	db: Db,
	opts: DeliveryOptions = {}
): Promise<{ delivered: number; failed: number; retrying: number }> {
	const now = opts.now ?? Date.now;
	const base = opts.baseMs ?? 5_000;
	const max = opts.maxAttempts ?? MAX_ATTEMPTS;
	const due = await db.all<{ id: string; url: string; payload: string; attempts: number }>(
		`SELECT d.id, w.url, d.payload::VARCHAR AS payload, d.attempts FROM webhook_deliveries d
		 JOIN webhook_destinations w ON w.id = d.destination_id
		 WHERE d.status = 'pending' AND d.next_attempt_at <= $1::TIMESTAMP ORDER BY d.next_attempt_at LIMIT 100`,
		[sqlTs(now())]
	);
	const counts = { delivered: 0, failed: 0, retrying: 0 };
	for (const d of due) {
		const a = await postWebhook(d.url, JSON.parse(d.payload), opts.timeoutMs);
		const attempts = d.attempts + 1;
		const t = now();
		if (a.ok) counts.delivered++;
		else if (attempts >= max) counts.failed++;
		else counts.retrying++;
		await db.write(async (conn) => {
			if (a.ok) {
				await conn.run(
					`UPDATE webhook_deliveries SET status = 'delivered', attempts = $2, last_http_status = $3, last_error = NULL, delivered_at = $4::TIMESTAMP, next_attempt_at = NULL WHERE id = $1`,
					[d.id, attempts, a.status, sqlTs(t)]
				);
			} else {
				const next = attempts >= max ? null : sqlTs(t + backoffMs(attempts, base));
				await conn.run(
					`UPDATE webhook_deliveries SET status = $5, attempts = $2, last_http_status = $3, last_error = $4, next_attempt_at = $6::TIMESTAMP WHERE id = $1`,
					[d.id, attempts, a.status, a.error, next === null ? 'failed' : 'pending', next]
				);
			}
		});
	}
	return counts;
}

export interface DeliveryLogRow {
	id: string;
	destination_id: string;
	destination: string | null;
	rule_id: string | null;
	status: string;
	attempts: number;
	last_http_status: number | null;
	last_error: string | null;
	next_attempt_at: string | null;
	created_at: string;
	delivered_at: string | null;
	text: string | null;
}

export async function listDeliveries(db: Db, limit = 100): Promise<DeliveryLogRow[]> {
	const rows = await db.all<{
		id: string;
		destination_id: string;
		destination: string | null;
		rule_id: string | null;
		status: string;
		attempts: number;
		last_http_status: number | null;
		last_error: string | null;
		next_attempt_at: Date | null;
		created_at: Date;
		delivered_at: Date | null;
		text: string | null;
	}>(
		`SELECT d.id, d.destination_id, w.name AS destination, d.rule_id, d.status, d.attempts, d.last_http_status, d.last_error,
			d.next_attempt_at, d.created_at, d.delivered_at, json_extract_string(d.payload, '$.text') AS text
		 FROM webhook_deliveries d LEFT JOIN webhook_destinations w ON w.id = d.destination_id
		 ORDER BY d.created_at DESC LIMIT $1`,
		[limit]
	);
	return rows.map((r) => ({
		...r,
		next_attempt_at: r.next_attempt_at?.toISOString() ?? null,
		created_at: r.created_at.toISOString(),
		delivered_at: r.delivered_at?.toISOString() ?? null
	}));
}

/** The Notifications "Test" button: one immediate attempt with a sample message marked as a test (testNotificationVars). */
export async function testDestination(
	db: Db,
	id: string
): Promise<{ ok: true; status: number } | { ok: false; status: number | null; error: string }> {
	const d = (await listDestinations(db)).find((x) => x.id === id);
	if (!d) return { ok: false, status: 404, error: `no destination ${id}` };
	return postWebhook(d.url, webhookBody(d.template, testNotificationVars(Date.now())));
}
