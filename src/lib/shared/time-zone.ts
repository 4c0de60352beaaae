// Times as the viewer reads them: every function takes the display zone explicitly (an IANA name or
// 'UTC'), so the server's render and the browser's agree whenever they are given the same zone, and
// every absolute time carries its zone's short name ("09:41 CET") so no text is ambiguous.
// The data itself stays UTC (database, API JSON, CLI); only what a page shows is converted.

export const UTC = 'UTC';

/** The cookie in which the browser tells the server its zone, for the next server render. */
export const TZ_COOKIE = 'cx_tz';

/** Formatters are costly to build and a page formats hundreds of times: one per zone. */
const partsFormats = new Map<string, Intl.DateTimeFormat>();
const nameFormats = new Map<string, Intl.DateTimeFormat[]>();

/** The canonical name of a zone ('utc' → 'UTC', 'us/eastern' → 'America/New_York'), or null when unknown. */
// ICU (Node 20, Chromium) still resolves some zones to names IANA has since replaced; people look for
// the current ones (and "Kiev" is not a neutral spelling). Every runtime here accepts both.
const CURRENT_NAMES: Readonly<Record<string, string>> = {
	'Asia/Calcutta': 'Asia/Kolkata',
	'Europe/Kiev': 'Europe/Kyiv',
	'Asia/Saigon': 'Asia/Ho_Chi_Minh',
	'Asia/Katmandu': 'Asia/Kathmandu',
	'Asia/Rangoon': 'Asia/Yangon',
	'America/Godthab': 'America/Nuuk',
	'Atlantic/Faeroe': 'Atlantic/Faroe',
	'Pacific/Truk': 'Pacific/Chuuk',
	'Pacific/Ponape': 'Pacific/Pohnpei',
	'Pacific/Enderbury': 'Pacific/Kanton',
	'America/Buenos_Aires': 'America/Argentina/Buenos_Aires',
	'America/Catamarca': 'America/Argentina/Catamarca',
	'America/Cordoba': 'America/Argentina/Cordoba',
	'America/Jujuy': 'America/Argentina/Jujuy',
	'America/Mendoza': 'America/Argentina/Mendoza',
	'America/Indianapolis': 'America/Indiana/Indianapolis',
	'America/Louisville': 'America/Kentucky/Louisville',
	'America/Coral_Harbour': 'America/Atikokan'
};

// An Area/Location name (or UTC): ICU also takes abbreviations and POSIX names ("EST" → America/Panama,
// "CET" → Europe/Brussels), which would be stored as a city the user never chose.
const ZONE_NAME = /^(?:UTC|GMT|[A-Za-z]+(?:\/[A-Za-z0-9_+-]+)+)$/i;

/** The zone's current IANA name, or null when it is not an Area/Location name (or UTC) the runtime knows. */
export function canonicalZone(name: string | null | undefined): string | null {
	if (typeof name !== 'string' || name.length > 64 || !ZONE_NAME.test(name.trim())) return null;
	try {
		const resolved = new Intl.DateTimeFormat('en-US', { timeZone: name.trim() }).resolvedOptions().timeZone;
		return CURRENT_NAMES[resolved] ?? resolved;
	} catch {
		return null;
	}
}

/**
 * A wall's `?tz=` (for a kiosk whose system zone is wrong): the zone it names, none when absent, or the
 * reason it cannot be used, to show on the wall rather than fall back silently.
 */
export function zoneParam(raw: string | null): { zone: string | null; error: string | null } {
	if (raw === null || raw === '') return { zone: null, error: null };
	const zone = canonicalZone(raw);
	if (zone) return { zone, error: null };
	return { zone: null, error: `tz=${raw.slice(0, 64)} is not a time zone: use an IANA name such as Europe/Berlin or America/New_York, or UTC` };
}

/** Every zone the runtime knows, UTC first (Intl lists only Area/City names). */
export function knownZones(): string[] {
	const listed = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
	const current = listed.filter((z) => z !== UTC).map((z) => CURRENT_NAMES[z] ?? z);
	return [UTC, ...[...new Set(current)].sort()];
}

function partsFormat(zone: string): Intl.DateTimeFormat {
	let f = partsFormats.get(zone);
	if (!f) {
		f = new Intl.DateTimeFormat('en-US', {
			timeZone: zone,
			hourCycle: 'h23',
			year: 'numeric',
			month: '2-digit',
			day: '2-digit',
			hour: '2-digit',
			minute: '2-digit',
			second: '2-digit'
		});
		partsFormats.set(zone, f);
	}
	return f;
}

export interface WallClock {
	year: number;
	month: number;
	day: number;
	hour: number;
	minute: number;
	second: number;
}

/** What a clock in `zone` reads at instant `ms`. */
export function wallClock(ms: number, zone: string): WallClock {
	const p: Record<string, number> = {};
	for (const part of partsFormat(zone).formatToParts(ms)) if (part.type !== 'literal') p[part.type] = Number(part.value);
	return { year: p.year, month: p.month, day: p.day, hour: p.hour % 24, minute: p.minute, second: p.second };
}

/** Minutes `zone` is ahead of UTC at instant `ms` (New York in winter: -300; Kolkata: 330). */
export function offsetMinutes(ms: number, zone: string): number {
	const c = wallClock(ms, zone);
	const asUtc = Date.UTC(c.year, c.month - 1, c.day, c.hour, c.minute, c.second);
	return Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 60_000);
}

function offsetName(minutes: number): string {
	if (minutes === 0) return 'UTC';
	const a = Math.abs(minutes);
	const mm = a % 60;
	return `UTC${minutes < 0 ? '-' : '+'}${Math.floor(a / 60)}${mm ? `:${String(mm).padStart(2, '0')}` : ''}`;
}

/**
 * The zone's short name at `ms`: "EST"/"EDT", "CET"/"CEST", "GMT"/"BST", "UTC"; "UTC+9", "UTC+5:30" for
 * zones without a common English abbreviation (ICU's "GMT+9" would read like London's GMT).
 */
export function zoneAbbreviation(ms: number, zone: string): string {
	if (zone === UTC) return 'UTC';
	let fs = nameFormats.get(zone);
	if (!fs) {
		fs = ['en-US', 'en-GB'].map((l) => new Intl.DateTimeFormat(l, { timeZone: zone, timeZoneName: 'short' }));
		nameFormats.set(zone, fs);
	}
	for (const f of fs) {
		const name = f.formatToParts(ms).find((p) => p.type === 'timeZoneName')?.value ?? '';
		if (name && !/^(GMT|UTC)[+\-−]/.test(name)) return name;
	}
	return offsetName(offsetMinutes(ms, zone));
}

export type Instant = string | number | Date;

function toMs(at: Instant): number {
	return typeof at === 'number' ? at : typeof at === 'string' ? Date.parse(at) : at.getTime();
}

const two = (n: number) => String(n).padStart(2, '0');

/** "2026-12-05" as the day is named in `zone`. */
export function formatDate(at: Instant, zone: string): string {
	const c = wallClock(toMs(at), zone);
	return `${c.year}-${two(c.month)}-${two(c.day)}`;
}

/** "04:41 EST" (or "04:41:07 EST" with seconds). */
export function formatTime(at: Instant, zone: string, opts: { seconds?: boolean } = {}): string {
	const ms = toMs(at);
	const c = wallClock(ms, zone);
	return `${two(c.hour)}:${two(c.minute)}${opts.seconds ? `:${two(c.second)}` : ''} ${zoneAbbreviation(ms, zone)}`;
}

/** "2026-12-05 04:41 EST"; '—' for no time. The one absolute format of every page. */
export function formatDateTime(at: Instant | null | undefined, zone: string, opts: { seconds?: boolean } = {}): string {
	if (at === null || at === undefined || at === '') return '—';
	const ms = toMs(at);
	if (!Number.isFinite(ms)) return '—';
	return `${formatDate(ms, zone)} ${formatTime(ms, zone, opts)}`;
}

/** The time alone when `at` falls on the same day as `now` in `zone`, else with its date. */
export function formatTimeOrDateTime(at: Instant, zone: string, now: number): string {
	return formatDate(at, zone) === formatDate(now, zone) ? formatTime(at, zone) : formatDateTime(at, zone);
}

/** How long from `at` to `now`, coarsely: "40 s", "12 min", "3 h", "2 d". Negative spans read as 0 s. */
export function formatSpan(at: Instant, now: number): string {
	const s = Math.max(0, Math.floor((now - toMs(at)) / 1000));
	if (s < 60) return `${s} s`;
	if (s < 3600) return `${Math.floor(s / 60)} min`;
	if (s < 86_400) return `${Math.floor(s / 3600)} h`;
	return `${Math.floor(s / 86_400)} d`;
}

/** "12 min ago"; "in 5 min" for a time ahead of `now` (a snooze's end, a scheduled silence). */
export function formatRelative(at: Instant, now: number): string {
	const ms = toMs(at);
	if (ms > now + 1000) return `in ${formatSpan(now, ms)}`;
	return `${formatSpan(ms, now)} ago`;
}

/** The value of a `<input type="datetime-local">` showing `at` as read in `zone`: "2026-11-01T01:30". */
export function toZonedInput(at: Instant, zone: string): string {
	const c = wallClock(toMs(at), zone);
	return `${c.year}-${two(c.month)}-${two(c.day)}T${two(c.hour)}:${two(c.minute)}`;
}

/**
 * The instant a wall clock in `zone` reads `c` (minute precision). Where the clock reads it twice (the
 * hour repeated when summer time ends) the earlier; where never (the hour skipped when it starts) the
 * time that many minutes after the skip, as a clock put forward would read (02:30 → 03:30): the rule
 * of Temporal's 'compatible' disambiguation and of most calendars.
 */
export function fromWallClock(c: Omit<WallClock, 'second'> & { second?: number }, zone: string): number {
	const { fits, skipped } = wallClockInstants(c, zone);
	return fits.length ? fits[0] : skipped;
}

/** Every instant at which a clock in `zone` reads `c` (none, one, or two in time order), and the reading of a skipped time. */
function wallClockInstants(c: Omit<WallClock, 'second'> & { second?: number }, zone: string): { fits: number[]; skipped: number } {
	const local = Date.UTC(c.year, c.month - 1, c.day, c.hour, c.minute, c.second ?? 0);
	// Offsets change at most twice a year, so the ones a day either side are the only candidates.
	const before = offsetMinutes(local - 86_400_000, zone);
	const after = offsetMinutes(local + 86_400_000, zone);
	const fits = [...new Set([before, after])]
		.map((o) => local - o * 60_000)
		.filter((ms) => toZonedInput(ms, zone) === toZonedInput(local, UTC))
		.sort((a, b) => a - b);
	return { fits, skipped: local - before * 60_000 };
}

/** The wall clock a datetime-local value names; null when it is not such a value. */
function parseZonedInput(value: string): WallClock | null {
	const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value.trim());
	if (!m) return null;
	const [year, month, day, hour, minute, second] = m.slice(1).map((v) => Number(v ?? 0));
	if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return null;
	// Date.UTC rolls 31 February over into March; such a value names no day.
	if (new Date(Date.UTC(year, month - 1, day)).getUTCDate() !== day) return null;
	return { year, month, day, hour, minute, second };
}

/** The instant a datetime-local value names when read in `zone`; null when it is not such a value. */
export function fromZonedInput(value: string, zone: string): number | null {
	const c = parseZonedInput(value);
	return c && fromWallClock(c, zone);
}

/**
 * A datetime-local value the clock of `zone` skips (summer time starts) or shows twice (it ends), with the
 * instant fromZonedInput reads it as (`used`) and, for a repeated time, the other one; null for an ordinary
 * value (or none). A form says so before saving: the time stored is not quite the time typed.
 */
export type ClockChange = { kind: 'skipped'; used: number } | { kind: 'repeated'; used: number; other: number };

export function clockChangeAt(value: string, zone: string): ClockChange | null {
	const c = parseZonedInput(value);
	if (!c) return null;
	const { fits, skipped } = wallClockInstants(c, zone);
	if (fits.length === 0) return { kind: 'skipped', used: skipped };
	return fits.length > 1 ? { kind: 'repeated', used: fits[0], other: fits[1] } : null;
}

const dayMonthYear = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: UTC });

/**
 * What a form says at a time field whose value the clock skips or repeats, `what` naming the time ("the
 * silence starts"): "02:30 does not exist on 14 Mar 2027 in America/New_York (clocks go forward); the silence
 * starts at 03:30 EDT". null when the value names one instant.
 */
export function clockChangeNote(value: string, zone: string, what: string): string | null {
	const change = clockChangeAt(value, zone);
	const c = parseZonedInput(value);
	if (!change || !c) return null;
	const typed = `${two(c.hour)}:${two(c.minute)}`;
	const day = dayMonthYear.format(Date.UTC(c.year, c.month - 1, c.day));
	if (change.kind === 'skipped')
		return `${typed} does not exist on ${day} in ${zone} (clocks go forward); ${what} at ${formatTime(change.used, zone)}`;
	return `${typed} happens twice on ${day} in ${zone} (clocks go back); ${what} at the first, ${formatTime(change.used, zone)}, not at ${formatTime(change.other, zone)}`;
}

/**
 * Ticks for a time axis from `from` to `to` that fall on round times of `zone` (its midnights, its whole
 * hours): d3 rounds only in UTC or the runtime's zone, so this takes the UTC ticks of the same span as the
 * zone's clock reads it and turns each back into the instant that clock shows it.
 */
export function zonedTicks(from: Date, to: Date, count: number, utcTicks: (from: Date, to: Date, count: number) => Date[], zone: string): Date[] {
	const shift = (d: Date) => new Date(d.getTime() + offsetMinutes(d.getTime(), zone) * 60_000);
	const seen = new Set<number>();
	const out: Date[] = [];
	for (const t of utcTicks(shift(from), shift(to), count)) {
		const ms = fromWallClock(
			{ year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate(), hour: t.getUTCHours(), minute: t.getUTCMinutes() },
			zone
		);
		if (ms >= from.getTime() && ms <= to.getTime() && !seen.has(ms)) {
			seen.add(ms);
			out.push(new Date(ms));
		}
	}
	return out;
}
