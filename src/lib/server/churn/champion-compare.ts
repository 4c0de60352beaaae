// Champion and challenger on the same data. Each version's metrics come from its own validation
// snapshot, so two rows of the Models page were measured on different customers and windows (a
// challenger trained a month later is judged on another month). When a challenger is trained, the
// champion of that moment scores the challenger's validation snapshot too: same customers, same labels,
// the champion's own features and threshold.
import type { Db } from '../db';
import type { ChurnDefinition } from './definitions';
import { evaluateScores, type FullMetrics } from './evaluate';
import { readMetadata } from './registry';
import type { ScoreEngine } from './score-engine';
import { loadSnapshot } from './snapshot';

export interface ValidationSnapshot {
	/** Exclusive end of the features (the validation cutoff). */
	asOf: Date;
	horizonDays: number;
	definition: ChurnDefinition;
}

export async function championOnSnapshot(
	db: Db,
	o: { modelsDir: string; version: string; engine: ScoreEngine },
	v: ValidationSnapshot
): Promise<FullMetrics> {
	const meta = readMetadata(o.modelsDir, o.version);
	// Population and labels follow the challenger's definition and horizon; the encoding the champion's.
	const raw = await loadSnapshot(db, {
		asOf: v.asOf,
		horizonDays: v.horizonDays,
		definition: v.definition,
		withLabels: true,
		types: meta.spec.types,
		channels: meta.spec.channels
	});
	if (!raw.labels || raw.ids.length === 0) throw new Error('the validation snapshot has no customers');
	const prob = await o.engine.predict({ modelsDir: o.modelsDir, version: o.version }, raw);
	return evaluateScores(prob, prob, raw.labels, meta.threshold);
}
