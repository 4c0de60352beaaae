// Browser calls to the alerts API; answers keep their status so dialogs can show the server's message.
import { markSessionEnded } from '../../session-ended.svelte';

export interface ApiAnswer<T = Record<string, unknown>> {
	ok: boolean;
	/** The HTTP status; 0 when no answer came (the server could not be reached, or the answer broke off). */
	status: number;
	data: T;
}

/** The request never reached the server (fetch rejects before anything is sent), so nothing changed. */
export const UNREACHABLE = 'cannot reach the server; nothing was changed';
/** The server took the request but its answer broke off: it may or may not have been applied. */
export const ANSWER_LOST =
	'the connection broke before the server answered; reload the page to see whether it was changed';

/** The session ended (signed out in another tab, disabled, password reset): the change was refused. */
export const SESSION_ENDED =
	'your session has ended (signed out elsewhere), so this was not saved; use Sign in again at the top right, then retry';

/**
 * Never throws: a request that cannot be sent (server down, network gone) or whose answer breaks off is
 * an answer with status 0 and a readable `error`, so every caller's error path (and its busy flag) runs.
 */
export async function sendJson<T = Record<string, unknown>>(
	method: 'POST' | 'PUT' | 'PATCH' | 'DELETE',
	url: string,
	body?: unknown
): Promise<ApiAnswer<T>> {
	let r: Response;
	try {
		r = await fetch(url, {
			method,
			headers: body === undefined ? {} : { 'content-type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body)
		});
	} catch {
		return { ok: false, status: 0, data: { error: UNREACHABLE } as T };
	}
	// The session ended (another tab signed out): the header offers to sign in again, and the caller's message
	// says plainly that nothing was saved (the page and its dialogs stay, so nothing typed is lost).
	if (r.status === 401) {
		markSessionEnded();
		void r.body?.cancel();
		return { ok: false, status: 401, data: { error: SESSION_ENDED } as T };
	}
	let text: string;
	try {
		text = await r.text();
	} catch {
		return { ok: false, status: 0, data: { error: ANSWER_LOST } as T };
	}
	let data: unknown = {};
	try {
		data = text ? JSON.parse(text) : {};
	} catch {
		// A proxy's HTML error page is no message to show.
		const plain = text.trim();
		data = {
			error:
				plain && plain.length <= 300 && !plain.startsWith('<')
					? plain
					: `the server answered ${r.status}${r.statusText ? ` ${r.statusText}` : ''}`
		};
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
	// "until: until must be …" says the field twice: a message that names its field stands alone.
	if (d.errors?.length)
		return d.errors
			.map((e) => (e.message.startsWith(`${e.field} `) ? e.message : `${e.field}: ${e.message}`))
			.join('; ');
	return d.error ?? d.message ?? `request failed (${a.status})`;
}

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
