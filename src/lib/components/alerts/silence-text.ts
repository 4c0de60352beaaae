// Silences as the /alerts page shows them: the matcher in words, whether a rule is muted and until when,
// and the window a new silence covers. Pure; the API (GET /api/v1/alerts/silences) is the source.
import { formatDateTime, formatTimeOrDateTime, fromZonedInput } from '$lib/shared/time-zone';
import { formMessage, SILENCE_WORDING } from './form-errors';
import type { SilenceMatcherJson as SilenceMatcher, SilenceJson as SilenceRow } from '$lib/shared/silence-json';

export type { SilenceMatcherJson as SilenceMatcher, SilenceJson as SilenceRow } from '$lib/shared/silence-json';

export interface RuleRef {
	id: string;
	name: string;
	definition: { kind: string; metric?: unknown };
}

const KIND_WORDS: Record<string, string> = {
	metric: 'metric',
	tolerance: 'tolerance',
	churn: 'churn',
	silent: 'silent-customer'
};

/** "rule ‘CSAT low’", "customer C-123", "all churn alerts", "all CSAT alerts for customer …". */
export function matcherText(
	m: SilenceMatcher,
	rules: readonly RuleRef[],
	metricLabel: (id: string) => string = (id) => id
): string {
	let what: string;
	if (m.rule_id !== undefined) {
		const name = rules.find((r) => r.id === m.rule_id)?.name;
		what = name === undefined ? `rule ${m.rule_id} (deleted)` : `rule ‘${name}’`;
	} else if (m.metric !== undefined) what = `all ${metricLabel(m.metric)} alerts`;
	else if (m.kind !== undefined) what = `all ${KIND_WORDS[m.kind] ?? m.kind} alerts`;
	else what = '';
	if (m.customer_id === undefined) return what;
	return what ? `${what} for customer ${m.customer_id}` : `customer ${m.customer_id}`;
}

/**
 * Whether every notification of `rule` is muted at `now`, and until when: an active silence that matches
 * the rule as a whole (one for a single customer leaves the others' alerts going). The latest end of
 * such silences, ISO; null when the rule is not muted.
 */
export function ruleSilencedUntil(rule: RuleRef, silences: readonly SilenceRow[], now: number): string | null {
	let until: string | null = null;
	for (const s of silences) {
		const m = s.matcher;
		if (Date.parse(s.starts_at) > now || Date.parse(s.ends_at) <= now) continue;
		if (s.ended_at !== null && Date.parse(s.ended_at) <= now) continue;
		if (m.customer_id !== undefined) continue;
		if (m.rule_id !== undefined && m.rule_id !== rule.id) continue;
		if (m.kind !== undefined && m.kind !== rule.definition.kind) continue;
		if (m.metric !== undefined && m.metric !== rule.definition.metric) continue;
		if (until === null || s.ends_at > until) until = s.ends_at;
	}
	return until;
}

/** "21:40 CET" today (in the display zone), otherwise with the date as elsewhere on the page ("2026-12-07 21:40 CET"). */
export function untilText(iso: string, now: number, zone: string): string {
	return formatTimeOrDateTime(iso, zone, now);
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const YEAR = 365 * DAY;

/**
 * A span in whole units, the larger two that apply: "3 y 27 d", "2 d 4 h", "3 h 20 min", "45 min"
 * (a fraction of a large unit, "1,122.5 d", says less than two whole ones). Rounded down; under a minute "< 1 min".
 */
export function wholeSpan(ms: number): string {
	const units: [number, string][] = [
		[YEAR, 'y'],
		[DAY, 'd'],
		[HOUR, 'h'],
		[MINUTE, 'min']
	];
	const i = units.findIndex(([size]) => ms >= size);
	if (i < 0) return '< 1 min';
	const [big, bigName] = units[i];
	const first = `${Math.floor(ms / big)} ${bigName}`;
	if (i === units.length - 1) return first;
	const [small, smallName] = units[i + 1];
	const rest = Math.floor((ms % big) / small);
	return rest ? `${first} ${rest} ${smallName}` : first;
}

/** Time left of a silence ("3 h 20 min"), or how long until a scheduled one starts. */
export function timeLeftText(s: SilenceRow, now: number): string {
	if (s.state === 'ended') return 'ended';
	if (s.state === 'scheduled') return `starts in ${wholeSpan(Math.max(0, Date.parse(s.starts_at) - now))}`;
	return `${wholeSpan(Math.max(0, Date.parse(s.ends_at) - now))} left`;
}

/**
 * A silence deleted before it started: ended at or before its planned start. Rows ended before ended_at
 * existed had their window cut to the moment of deletion (start = end).
 */
export function neverStarted(s: SilenceRow): boolean {
	if (s.state !== 'ended') return false;
	return s.ended_at !== null ? Date.parse(s.ended_at) <= Date.parse(s.starts_at) : s.starts_at === s.ends_at;
}

/** The State column: "ended early by ana at 2026-12-06 22:06 CET", "deleted before it started by …", or the state. */
export function stateText(s: SilenceRow, zone: string): string {
	const by = s.ended_at !== null ? ` by ${s.ended_by ?? 'unknown'} at ${formatDateTime(s.ended_at, zone)}` : '';
	if (neverStarted(s)) return `deleted before it started${by}`;
	if (s.state === 'ended' && s.ended_at !== null) return `ended early${by}`;
	return s.state;
}

export const DURATIONS = [
	{ id: '1h', label: '1 h', ms: 3_600_000 },
	{ id: '4h', label: '4 h', ms: 4 * 3_600_000 },
	{ id: '1d', label: '1 day', ms: 86_400_000 },
	{ id: 'until', label: 'until a chosen end', ms: null }
] as const;
export type DurationId = (typeof DURATIONS)[number]['id'];

/**
 * The ISO `starts_at` (absent: now) and `ends_at` of the form's window. `start`/`end` are the
 * datetime-local inputs' values, read in the display zone `zone` like every time on the page (summer time
 * included); an error names the field when one is missing.
 */
export function silenceWindow(
	form: { startNow: boolean; start: string; duration: DurationId; end: string },
	now: number,
	zone: string
): { starts_at?: string; ends_at: string } | { field: 'starts_at' | 'ends_at'; message: string } {
	const read = (v: string) => fromZonedInput(v, zone) ?? NaN;
	let start = now;
	let startsAt: string | undefined;
	if (!form.startNow) {
		start = read(form.start);
		if (!Number.isFinite(start)) return { field: 'starts_at', message: `choose when the silence starts (a time in ${zone})` };
		startsAt = new Date(start).toISOString();
	}
	const preset = DURATIONS.find((d) => d.id === form.duration);
	let end: number;
	if (preset && preset.ms !== null) end = start + preset.ms;
	else {
		end = read(form.end);
		if (!Number.isFinite(end)) return { field: 'ends_at', message: `choose when the silence ends (a time in ${zone})` };
	}
	return { ...(startsAt ? { starts_at: startsAt } : {}), ends_at: new Date(end).toISOString() };
}

const CUSTOMER_ONLY = 'Customer id applies to customer alerts (tolerance, churn, silent) only';

/**
 * A refusal of POST /api/v1/alerts/silences in the form's words: rules by the names the Rule select shows
 * (the API names ids), metrics by their labels, and for a customer id the one field set that conflicts
 * with it (the API's message lists every way it could, whatever was sent).
 */
export function silenceErrorText(
	field: string,
	message: string,
	form: { rule: string; kind: string; metric: string },
	rules: readonly RuleRef[],
	metricLabel: (id: string) => string = (id) => id
): string {
	const ruleName = (id: string) => {
		const name = rules.find((r) => r.id === id)?.name;
		return name === undefined ? `Rule ${id}` : `Rule ‘${name}’`;
	};
	if (field === 'matcher.customer_id') {
		if (form.metric) return `${CUSTOMER_ONLY}: clear Metric`;
		if (form.kind === 'metric') return `${CUSTOMER_ONLY}: choose a customer Kind, or any kind`;
		const rule = rules.find((r) => r.id === form.rule);
		if (rule?.definition.kind === 'metric') return `${CUSTOMER_ONLY}: ${ruleName(rule.id)} is a metric rule; choose a customer rule, or any rule`;
		return formMessage(field, message, SILENCE_WORDING);
	}
	const about = /^rule (\S+) (.*)$/.exec(message);
	if (!about) return formMessage(field, message, SILENCE_WORDING);
	const rest = about[2].replace(/^watches (\S+), not (\S+)$/, (_all, a: string, b: string) => `watches ${metricLabel(a)}, not ${metricLabel(b)}`);
	return `${ruleName(about[1])} ${rest}`;
}
