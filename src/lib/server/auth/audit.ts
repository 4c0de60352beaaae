// Access changes (users, keys, display tokens) and alert configuration changes (rules, silences, webhooks,
// tolerance) go to audit_log in the same transaction as the change.
// Never pass a secret in `detail`.
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Db } from '../db';

export interface AuditEntry {
	actor: string;
	action: string;
	subject: string;
	detail?: Record<string, string | number | boolean | null>;
}

export async function recordAudit(conn: DuckDBConnection, e: AuditEntry): Promise<void> {
	await conn.run('INSERT INTO audit_log (actor, action, subject, detail) VALUES ($1, $2, $3, $4::JSON)', [
		e.actor,
		e.action,
		e.subject,
		JSON.stringify(e.detail ?? {})
	]);
}

export interface AuditRecord extends AuditEntry {
	occurredAt: string;
}

/** The latest access and alert-configuration changes, newest first. */
export async function listAudit(db: Db, limit = 50): Promise<AuditRecord[]> {
	const rows = await db.all<{ ms: number; actor: string; action: string; subject: string; detail: string | null }>(
		`SELECT epoch_ms(occurred_at) AS ms, actor, action, subject, CAST(detail AS TEXT) AS detail FROM audit_log
		 ORDER BY occurred_at DESC LIMIT $1`,
		[limit]
	);
	return rows.map((r) => ({
		occurredAt: new Date(r.ms).toISOString(),
		actor: r.actor,
		action: r.action,
		subject: r.subject,
		detail: r.detail ? (JSON.parse(r.detail) as AuditEntry['detail']) : {}
	}));
}
