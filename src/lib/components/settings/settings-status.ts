// What Settings says after an action (pure; the page keeps the state). One status per section, and only
// the latest action's success is shown anywhere: "Added sam" beside "Created API key" beside "Saved the
// board" read as if all three had just happened. An error stays (in its section, with its fields marked)
// until an action in that section replaces it: it tells what still needs fixing, whatever else was done.

export type SettingsSection = 'users' | 'keys' | 'boards' | 'displays' | 'tolerance';

export interface SettingsStatus {
	ok: boolean;
	text: string;
	/** A secret shown once (password, API key, wall URL), with the success that made it. */
	secret?: { label: string; value: string };
	/** What the server answered (the tolerance form reads its field errors and typed values from it). */
	data?: Record<string, unknown>;
}

export type SettingsStatuses = Partial<Record<SettingsSection, SettingsStatus>>;

/** The statuses after an action in `section` ended with `status` (null: it says nothing). */
export function reportStatus(
	all: SettingsStatuses,
	section: SettingsSection,
	status: SettingsStatus | null
): SettingsStatuses {
	const next: SettingsStatuses = {};
	for (const [s, st] of Object.entries(all) as [SettingsSection, SettingsStatus][])
		if (s !== section && !st.ok) next[s] = st;
	if (status) next[section] = status;
	return next;
}

/** A form action's answer (`{section, ok, message, secret?}`, see +page.server.ts) as a status. */
export function statusOfAnswer(
	data: Record<string, unknown> | undefined | null
): { section: SettingsSection; status: SettingsStatus } | null {
	if (!data || typeof data.section !== 'string' || typeof data.message !== 'string') return null;
	const secret = data.secret as SettingsStatus['secret'] | undefined;
	return {
		section: data.section as SettingsSection,
		status: { ok: data.ok === true, text: data.message, ...(secret ? { secret } : {}), data }
	};
}

/**
 * What was typed into the add form of the answer's section (`values` of a refusal, +page.server.ts), by
 * section: a page rendered from a plain form post (no JavaScript) fills it back in.
 */
export function typedValues(data: Record<string, unknown> | undefined | null): Partial<Record<SettingsSection, Record<string, string>>> {
	const answer = statusOfAnswer(data);
	const values = data?.values;
	if (!answer || answer.status.ok || !values || typeof values !== 'object') return {};
	const strings = Object.entries(values).filter((e): e is [string, string] => typeof e[1] === 'string');
	return { [answer.section]: Object.fromEntries(strings) };
}

/** An add form's field the server refused (`form`, `field` in its answer), with the message as a sentence. */
export interface FieldError {
	field: string;
	text: string;
}

/**
 * The refusal the server tied to a field of the add form `form` (its answer's `form` and `field`): shown at
 * that field, with the typed values kept, not above the section's table far from the form (QA).
 */
export function fieldErrorOf(status: SettingsStatus | undefined, form: string): FieldError | null {
	const d = status?.data;
	if (!status || status.ok || !d || d.form !== form || typeof d.field !== 'string') return null;
	return { field: d.field, text: status.text.charAt(0).toUpperCase() + status.text.slice(1) };
}

/** The section's status line, less a refusal its add form shows at the field. */
export function lineStatus(status: SettingsStatus | undefined): SettingsStatus | undefined {
	return status && !status.ok && typeof status.data?.form === 'string' && typeof status.data.field === 'string' ? undefined : status;
}
