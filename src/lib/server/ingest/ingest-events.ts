// ingestEvents: the entry point of API batches and the demo simulator.
import type { RecordErrors } from '../../shared/events';
import type { Db } from '../db';
import { commitBatch } from './group-commit';
import { validateEvents } from './validate-event';

export type IngestResult =
	| { ok: true; value: { accepted: number; duplicates: number } }
	| ({ ok: false } & RecordErrors);

export interface IngestOptions {
	/** Who sent the batch ('api', 'demo', …); stored with each event and part of derived event ids. */
	source: string;
	/** The clock for the "not in the future" check (tests pin it). */
	now?: Date;
}

/**
 * Validates the whole batch (any invalid record → nothing stored), drops repeats, then commits the
 * new events and everything derived from them in one transaction. Resolves only after the commit.
 */
export async function ingestEvents(db: Db, records: unknown[], opts: IngestOptions): Promise<IngestResult> {
	const v = validateEvents(records, { source: opts.source, now: opts.now ?? new Date() });
	if (!v.ok) return v;
	if (records.length === 0) return { ok: true, value: { accepted: 0, duplicates: 0 } };
	const value = await commitBatch(db, { events: v.value, source: opts.source }, records.length);
	return { ok: true, value };
}
