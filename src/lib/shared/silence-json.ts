// A silence as GET /api/v1/alerts/silences shows it: the server builds it (alerts/silences.ts) and the
// /alerts page reads it (components/alerts/silence-text.ts), so the shape is written once.

export interface SilenceMatcherJson {
	rule_id?: string;
	kind?: string;
	metric?: string;
	customer_id?: string;
}

/** snake_case and ISO times, like the rest of the API. */
export interface SilenceJson {
	id: string;
	matcher: SilenceMatcherJson;
	starts_at: string;
	ends_at: string;
	comment: string | null;
	created_by: string;
	/** active: muting now; scheduled: starts later; ended: over (listed only when asked for, see listSilences). */
	state: 'active' | 'scheduled' | 'ended';
	/** When and by whom it was ended early or deleted before it started; null when it ran (or runs) as planned. */
	ended_at: string | null;
	ended_by: string | null;
}
