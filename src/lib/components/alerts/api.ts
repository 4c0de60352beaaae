// Browser calls to the alerts API; answers keep their status so dialogs can show the server's message.
export interface ApiAnswer<T = Record<string, unknown>> {
	ok: boolean;
	status: number;
	data: T;
}

export async function sendJson<T = Record<string, unknown>>(
	method: 'POST' | 'PUT' | 'DELETE',
	url: string,
	body?: unknown
): Promise<ApiAnswer<T>> {
	const r = await fetch(url, {
		method,
		headers: body === undefined ? {} : { 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body)
	});
	const text = await r.text();
	let data: unknown = {};
	try {
		data = text ? JSON.parse(text) : {};
	} catch {
		data = { error: text };
	}
	return { ok: r.ok, status: r.status, data: data as T };
}

/** A readable message from an error answer ({error}, {message} or {errors:[{field,message}]}). */
export function messageOf(a: ApiAnswer): string {
	const d = a.data as {
		error?: string;
		message?: string;
		errors?: { field: string; message: string }[];
		holder?: string | null;
	};
	if (d.errors?.length) return d.errors.map((e) => `${e.field}: ${e.message}`).join('; ');
	return d.error ?? d.message ?? `request failed (${a.status})`;
}

export const OUTCOME_LABELS: Record<string, string> = {
	retained: 'Retained',
	churned: 'Churned',
	no_action: 'No action needed',
	false_alarm: 'False alarm'
};

export const REASON_LABELS: Record<string, string> = {
	tolerance: 'Tolerance crossed',
	churn: 'Churn risk',
	silent: 'High-value, silent'
};

export const STATE_ICONS: Record<string, string> = {
	normal: '●',
	pending: '◔',
	firing: '▲',
	recovering: '◑',
	nodata: '○',
	error: '✖',
	open: '○',
	claimed: '◐',
	snoozed: '☾',
	resolved: '✓'
};

export function money(v: number | null | undefined): string {
	if (v === null || v === undefined) return '—';
	return `£${v.toLocaleString('en-GB', { maximumFractionDigits: v < 100 ? 1 : 0 })}`;
}
