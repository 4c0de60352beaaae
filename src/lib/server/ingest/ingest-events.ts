// ingestEvents: the entry point of API batches and the demo simulator.
import type { RecordError } from '../../shared/events';
import type { Db } from '../db';
import { commitStage } from './commit';
import { appendToStage, createStage, dedupeInBatch, STAGE_TABLE } from './stage';
import { validateEvents } from './validate-event';

export type IngestResult =
	| { ok: true; value: { accepted: number; duplicates: number } }
	| { ok: false; errors: RecordError[] };

export interface IngestOptions {
	/** Who sent the batch (API key name, 'demo', 'import:file.csv'); part of derived event ids. */
	source: string;
	now?: Date;
}

/**
 * Validates the whole batch (any invalid record → nothing stored), drops repeats, then commits the
 * new events and everything derived from them in one transaction. Resolves only after the commit.
 */
export async function ingestEvents(db: Db, records: unknown[], opts: IngestOptions): Promise<IngestResult> {
	const now = opts.now ?? new Date();
	const v = validateEvents(records, { source: opts.source, now });
	if (!v.ok) return v;
	const unique = dedupeInBatch(v.value);
	if (records.length === 0) return { ok: true, value: { accepted: 0, duplicates: 0 } };
	const value = await db.write(async (conn) => {
		await createStage(conn);
		try {
			await appendToStage(conn, unique);
			return await commitStage(conn, { source: opts.source, ingestedAt: now, staged: records.length });
		} finally {
			await conn.run(`DROP TABLE IF EXISTS ${STAGE_TABLE}`).catch(() => undefined);
		}
	});
	return { ok: true, value };
}
