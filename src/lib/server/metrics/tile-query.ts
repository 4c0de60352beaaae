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
