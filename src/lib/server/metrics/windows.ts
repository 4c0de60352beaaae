// Window arithmetic. A window is [from, to) where `to` is the end of the current minute, so the
// minute in progress counts and an event exactly at `from` is inside, one exactly at `to` is not.
import { WINDOW_MS, type WindowId } from '../../shared/format';

export const SPARK_BINS: Record<WindowId, number> = { '15m': 15, '1h': 30, '24h': 48, '7d': 56, '30d': 60 };

export interface WindowBounds {
	window: WindowId;
	from: Date;
	to: Date;
	prevFrom: Date;
	binMs: number;
	bins: number;
}

export function windowBounds(window: WindowId, now: Date = new Date()): WindowBounds {
	const to = new Date(Math.floor(now.getTime() / 60_000) * 60_000 + 60_000);
	const len = WINDOW_MS[window];
	const bins = SPARK_BINS[window];
	return {
		window,
		from: new Date(to.getTime() - len),
		to,
		prevFrom: new Date(to.getTime() - 2 * len),
		binMs: len / bins,
		bins
	};
}

/** A UTC Date as a TIMESTAMP literal parameter (bound, then cast with ::TIMESTAMP). */
export function ts(d: Date): string {
	return d.toISOString().replace('T', ' ').replace('Z', '');
}

const DAY = 86_400_000;
export const floorDay = (d: Date) => new Date(Math.floor(d.getTime() / DAY) * DAY);
export const ceilDay = (d: Date) => new Date(Math.ceil(d.getTime() / DAY) * DAY);
