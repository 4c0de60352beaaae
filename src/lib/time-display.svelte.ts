// The one place components get the display zone and the clock from: the root layout makes a TimeDisplay
// from its load (user setting > browser's zone via cookie > UTC) and puts it in a Svelte context; a wall
// with ?tz= puts its own in front. Formatting itself is src/lib/shared/time-zone.ts (pure, zone given).
import { getContext, onMount, setContext } from 'svelte';
import {
	canonicalZone,
	formatDate,
	formatDateTime,
	formatRelative,
	formatSpan,
	formatTime,
	formatTimeOrDateTime,
	toZonedInput,
	TZ_COOKIE,
	UTC,
	type Instant
} from './shared/time-zone';

/** One clock for every relative time on the page ("12 min ago"): one timer, not one per row. */
export class Clock {
	now = $state(0);
	constructor(now: number) {
		this.now = now;
	}
}

export class TimeDisplay {
	readonly #zone: () => string;
	readonly clock: Clock;
	/** The zone times are shown in. */
	readonly zone = $derived.by(() => this.#zone());

	constructor(zone: () => string, clock: Clock) {
		this.#zone = zone;
		this.clock = clock;
	}

	get now(): number {
		return this.clock.now;
	}
	/** "2026-12-05 04:41 EST"; '—' for none. */
	when = (at: Instant | null | undefined, opts?: { seconds?: boolean }) => formatDateTime(at, this.zone, opts);
	/** "04:41 EST". */
	time = (at: Instant, opts?: { seconds?: boolean }) => formatTime(at, this.zone, opts);
	/** "2026-12-05", the day as named in the zone. */
	date = (at: Instant) => formatDate(at, this.zone);
	/** The time alone today (in the zone), else with its date. */
	timeOrWhen = (at: Instant) => formatTimeOrDateTime(at, this.zone, this.clock.now);
	/** "12 min ago" / "in 5 min", following the clock. */
	ago = (at: Instant) => formatRelative(at, this.clock.now);
	/** "12 min" since `at`, following the clock. */
	since = (at: Instant) => formatSpan(at, this.clock.now);
	/** A datetime-local input's value for `at`, read in the zone. */
	input = (at: Instant) => toZonedInput(at, this.zone);
}

const KEY = Symbol('time-display');

export function setTimeDisplay(t: TimeDisplay): TimeDisplay {
	return setContext(KEY, t);
}

/** The page's TimeDisplay; UTC when none was set (a component rendered outside the app's layouts). */
export function timeDisplay(): TimeDisplay {
	return getContext<TimeDisplay | undefined>(KEY) ?? new TimeDisplay(() => UTC, new Clock(Date.now()));
}

/** The zone the browser runs in, or null when it names none the runtime knows. */
export function browserZone(): string | null {
	try {
		return canonicalZone(Intl.DateTimeFormat().resolvedOptions().timeZone);
	} catch {
		return null;
	}
}

function cookieZone(): string | null {
	const c = document.cookie.split('; ').find((p) => p.startsWith(`${TZ_COOKIE}=`));
	return c ? decodeURIComponent(c.slice(TZ_COOKIE.length + 1)) : null;
}

export interface ServerZone {
	zone: string;
	setting: string | null;
	now: number;
}

/**
 * For the root layout: a TimeDisplay that renders as the server did (so hydration matches), then, once
 * mounted, in the browser's zone unless the user chose one; it tells the server the browser's zone
 * (cookie) for the next render, and ticks the shared clock each second.
 */
export function provideTimeDisplay(server: () => ServerZone): TimeDisplay {
	const local = $state<{ zone: string | null }>({ zone: null });
	const clock = new Clock(server().now);
	const t = setTimeDisplay(new TimeDisplay(() => server().setting ?? local.zone ?? server().zone, clock));
	onMount(() => {
		const zone = browserZone();
		local.zone = zone;
		if (zone && cookieZone() !== zone) {
			const secure = location.protocol === 'https:' ? '; secure' : '';
			document.cookie = `${TZ_COOKIE}=${encodeURIComponent(zone)}; path=/; max-age=${400 * 86_400}; samesite=lax${secure}`;
		}
		clock.now = Date.now();
		const timer = setInterval(() => (clock.now = Date.now()), 1000);
		return () => clearInterval(timer);
	});
	return t;
}
