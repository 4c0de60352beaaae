// Parses ?window=&channel=&segment= (metrics API, stream, pages) with errors that name the field.
import { CHANNELS } from '../../shared/events';
import { isWindowId, WINDOWS, type WindowId } from '../../shared/format';
import type { TileScope } from '../../shared/live-events';

export type ScopeResult = { ok: true; value: TileScope } | { ok: false; error: string };

export function parseTileScope(q: URLSearchParams, defaultWindow: WindowId = '24h'): ScopeResult {
	const w = q.get('window') || defaultWindow;
	if (!isWindowId(w)) return { ok: false, error: `window: must be one of ${WINDOWS.join(', ')} (got ${JSON.stringify(w)})` };
	const channel = q.get('channel') || null;
	if (channel && !(CHANNELS as readonly string[]).includes(channel))
		return { ok: false, error: `channel: must be one of ${CHANNELS.join(', ')} (got ${JSON.stringify(channel)})` };
	const segment = q.get('segment') || null;
	if (segment && segment.length > 100) return { ok: false, error: 'segment: at most 100 characters' };
	return { ok: true, value: { window: w, channel, segment } };
}

export type ScopesResult = { ok: true; value: TileScope[] } | { ok: false; error: string };

/** The stream may watch several windows at once (`windows=1h,24h,30d`, used by rotating walls). */
export function parseStreamScopes(q: URLSearchParams): ScopesResult {
	const list = q.get('windows');
	if (!list) {
		const one = parseTileScope(q);
		return one.ok ? { ok: true, value: [one.value] } : one;
	}
	const out: TileScope[] = [];
	for (const w of new Set(list.split(',').map((s) => s.trim()))) {
		const p = new URLSearchParams(q);
		p.set('window', w);
		const one = parseTileScope(p);
		if (!one.ok) return { ok: false, error: one.error.replace(/^window/, 'windows') };
		out.push(one.value);
	}
	return { ok: true, value: out };
}
