// The rule editor's one-line answer to "Preview last 24 h" (POST /api/v1/alerts/rules/preview).

// A type, not an interface: the editor's error reader takes any answer as a Record<string, unknown>.
export type PreviewAnswer = {
	fired: number;
	stepMinutes: number;
	/** Checks whose value rested on fewer observations than the rule's minimum sample. */
	tooFew?: number;
	tooFewNote?: string | null;
	samples?: unknown[];
};

/**
 * "Over the last 24 h this rule would have fired 1 time (checked every 30 min)." and, for a rule with a
 * minimum sample, at how many checks it counted the value as no data and why: a rule that never fires
 * only because its scope is quiet should not read as a rule whose metric is fine.
 */
export function previewText(r: PreviewAnswer): string {
	const fired = `Over the last 24 h this rule would have fired ${r.fired} time${r.fired === 1 ? '' : 's'} (checked every ${r.stepMinutes} min).`;
	if (!r.tooFew) return fired;
	const of = r.samples?.length ? ` of ${r.samples.length}` : '';
	const why = r.tooFewNote ? `: ${r.tooFewNote} at the latest` : '';
	return `${fired} At ${r.tooFew}${of} checks it counted the value as no data${why}.`;
}
