import { describe, expect, it } from 'vitest';
import { matcherText, ruleSilencedUntil, silenceErrorText, silenceWindow, stateText, timeLeftText, untilText, wholeSpan, type RuleRef, type SilenceRow } from './silence-text';

const NOW = Date.UTC(2026, 11, 6, 21, 0);
const rules = [
	{ id: 'csat-low', name: 'CSAT below 70 %', definition: { kind: 'metric', metric: 'csat' } },
	{ id: 'churn-high', name: 'High churn risk', definition: { kind: 'churn' } }
];
const iso = (ms: number) => new Date(ms).toISOString();
const silence = (matcher: SilenceRow['matcher'], from: number, to: number, state: SilenceRow['state'] = 'active'): SilenceRow => ({
	id: `s-${from}-${to}`,
	matcher,
	starts_at: iso(from),
	ends_at: iso(to),
	comment: null,
	created_by: 'ana',
	state,
	ended_at: null,
	ended_by: null
});

describe('silence matcher in words', () => {
	it.each([
		[{ rule_id: 'csat-low' }, 'rule ‘CSAT below 70 %’'],
		[{ customer_id: 'C-123' }, 'customer C-123'],
		[{ kind: 'churn' }, 'all churn alerts'],
		[{ kind: 'metric', metric: 'csat' }, 'all CSAT alerts'],
		[{ kind: 'tolerance', customer_id: 'C-9' }, 'all tolerance alerts for customer C-9'],
		[{ rule_id: 'gone' }, 'rule gone (deleted)']
	])('%o → %s', (m, want) => {
		expect(matcherText(m, rules, (id) => (id === 'csat' ? 'CSAT' : id))).toBe(want);
	});
});

describe('rule silenced until', () => {
	it('is the latest end of the active silences matching the whole rule', () => {
		const s = [
			silence({ rule_id: 'csat-low' }, NOW - 60_000, NOW + 3_600_000),
			silence({ metric: 'csat' }, NOW - 60_000, NOW + 7_200_000),
			silence({ kind: 'churn' }, NOW - 60_000, NOW + 9_000_000)
		];
		expect(ruleSilencedUntil(rules[0], s, NOW)).toBe(iso(NOW + 7_200_000));
		expect(ruleSilencedUntil(rules[1], s, NOW)).toBe(iso(NOW + 9_000_000));
	});
	it('ignores scheduled, ended, per-customer and other rules’ silences', () => {
		const s = [
			silence({ rule_id: 'csat-low' }, NOW + 60_000, NOW + 3_600_000, 'scheduled'),
			silence({ rule_id: 'csat-low' }, NOW - 7_200_000, NOW - 3_600_000, 'ended'),
			silence({ kind: 'churn', customer_id: 'C-1' }, NOW - 60_000, NOW + 3_600_000),
			silence({ rule_id: 'churn-high' }, NOW - 60_000, NOW + 3_600_000),
			silence({ kind: 'tolerance' }, NOW - 60_000, NOW + 3_600_000)
		];
		expect(ruleSilencedUntil(rules[0], s, NOW)).toBeNull();
		expect(ruleSilencedUntil(rules[1], s.slice(0, 3), NOW)).toBeNull();
	});
});

describe('state in words', () => {
	it('says who ended a silence early or deleted it before it started, and when; the window stays as planned', () => {
		const early = { ...silence({ kind: 'churn' }, NOW - 3_600_000, NOW + 3_600_000, 'ended'), ended_at: iso(NOW - 60_000), ended_by: 'bob' };
		expect(stateText(early, 'UTC')).toBe('ended early by bob at 2026-12-06 20:59 UTC');
		expect(stateText(early, 'America/New_York')).toBe('ended early by bob at 2026-12-06 15:59 EST');
		const start = Date.UTC(2030, 0, 2, 10);
		const deleted = { ...silence({ kind: 'churn' }, start, start + 86_400_000, 'ended'), ended_at: iso(NOW), ended_by: 'ana' };
		expect(stateText(deleted, 'UTC')).toBe('deleted before it started by ana at 2026-12-06 21:00 UTC');
		expect(stateText(silence({ kind: 'churn' }, NOW - 7_200_000, NOW - 3_600_000, 'ended'), 'UTC')).toBe('ended');
		expect(stateText(silence({ kind: 'churn' }, NOW - 60_000, NOW + 60_000), 'UTC')).toBe('active');
	});
	it('a silence ended early no longer mutes its rule', () => {
		const s = [{ ...silence({ rule_id: 'csat-low' }, NOW - 3_600_000, NOW + 3_600_000), ended_at: iso(NOW - 1), ended_by: 'bob' }];
		expect(ruleSilencedUntil(rules[0], s, NOW)).toBeNull();
	});
});

describe('times', () => {
	it('until: the time alone today (in the display zone), with the date on another day', () => {
		expect(untilText('2026-12-06T23:30:00.000Z', NOW, 'UTC')).toBe('23:30 UTC');
		expect(untilText('2026-12-07T01:30:00.000Z', NOW, 'UTC')).toBe('2026-12-07 01:30 UTC');
		// 22:00 CET now; 23:30 UTC is already tomorrow in Berlin, 01:30 UTC is still today in New York.
		expect(untilText('2026-12-06T23:30:00.000Z', NOW, 'Europe/Berlin')).toBe('2026-12-07 00:30 CET');
		expect(untilText('2026-12-07T01:30:00.000Z', NOW, 'America/New_York')).toBe('20:30 EST');
	});
	it('in whole units, never a fraction of days (QA: "starts in 1,122.5 d")', () => {
		const scheduled = silence({ kind: 'churn' }, Date.UTC(2030, 0, 2, 10), Date.UTC(2030, 0, 3, 10), 'scheduled');
		expect(timeLeftText(scheduled, Date.UTC(2026, 11, 6, 22, 6))).toBe('starts in 3 y 27 d');
		expect(wholeSpan(2 * 86_400_000 + 4.5 * 3_600_000)).toBe('2 d 4 h');
		expect(wholeSpan(3 * 3_600_000 + 20 * 60_000 + 59_000)).toBe('3 h 20 min');
		expect(wholeSpan(45 * 60_000)).toBe('45 min');
		expect(wholeSpan(30_000)).toBe('< 1 min');
		expect(wholeSpan(86_400_000)).toBe('1 d');
	});
	it('time left, or until a scheduled silence starts', () => {
		expect(timeLeftText(silence({ kind: 'churn' }, NOW - 1, NOW + 4 * 3_600_000), NOW)).toBe('4 h left');
		expect(timeLeftText(silence({ kind: 'churn' }, NOW + 30 * 60_000, NOW + 3_600_000, 'scheduled'), NOW)).toBe('starts in 30 min');
	});
	it('window: now plus a preset, a chosen start (UTC), or a chosen end', () => {
		expect(silenceWindow({ startNow: true, start: '', duration: '4h', end: '' }, NOW, 'UTC')).toEqual({ ends_at: iso(NOW + 4 * 3_600_000) });
		expect(silenceWindow({ startNow: false, start: '2026-12-24T18:00', duration: '1d', end: '' }, NOW, 'UTC')).toEqual({
			starts_at: '2026-12-24T18:00:00.000Z',
			ends_at: '2026-12-25T18:00:00.000Z'
		});
		expect(silenceWindow({ startNow: true, start: '', duration: 'until', end: '2026-12-07T06:00' }, NOW, 'UTC')).toEqual({ ends_at: '2026-12-07T06:00:00.000Z' });
		expect(silenceWindow({ startNow: true, start: '', duration: 'until', end: '' }, NOW, 'UTC')).toEqual({ field: 'ends_at', message: 'choose when the silence ends (a time in UTC)' });
		expect(silenceWindow({ startNow: false, start: '', duration: '1h', end: '' }, NOW, 'UTC')).toMatchObject({ field: 'starts_at' });
	});
	it('window: the inputs are read in the display zone, across the end of summer time', () => {
		// New York, 2026-11-01: 01:30 happens twice; the form means the first (EDT, 05:30 UTC).
		expect(silenceWindow({ startNow: false, start: '2026-11-01T01:30', duration: '1h', end: '' }, NOW, 'America/New_York')).toEqual({
			starts_at: '2026-11-01T05:30:00.000Z',
			ends_at: '2026-11-01T06:30:00.000Z'
		});
		expect(silenceWindow({ startNow: false, start: '2026-11-01T00:00', duration: 'until', end: '2026-11-01T03:00' }, NOW, 'America/New_York')).toEqual({
			starts_at: '2026-11-01T04:00:00.000Z',
			ends_at: '2026-11-01T08:00:00.000Z'
		});
		// Berlin, 2026-10-25: 02:30 CEST is 00:30 UTC; 03:00 that morning is CET again (02:00 UTC).
		expect(silenceWindow({ startNow: false, start: '2026-10-25T02:30', duration: 'until', end: '2026-10-25T03:00' }, NOW, 'Europe/Berlin')).toEqual({
			starts_at: '2026-10-25T00:30:00.000Z',
			ends_at: '2026-10-25T02:00:00.000Z'
		});
		expect(silenceWindow({ startNow: true, start: '', duration: 'until', end: '' }, NOW, 'Europe/Berlin')).toEqual({ field: 'ends_at', message: 'choose when the silence ends (a time in Europe/Berlin)' });
	});
});

describe('the server’s refusals of a new silence, in the form’s words', () => {
	const formRules: RuleRef[] = [
		{ id: 'csat-low', name: 'CSAT low', definition: { kind: 'metric', metric: 'csat' } },
		{ id: 'churn-70', name: 'Churn over 70 %', definition: { kind: 'churn' } }
	];
	const labels: Record<string, string> = { csat: 'CSAT', nps: 'NPS' };
	const label = (id: string) => labels[id] ?? id;
	const none = { rule: '', kind: '', metric: '' };

	it('names rules as the selects show them, and metrics by their labels', () => {
		expect(silenceErrorText('matcher.metric', 'rule csat-low watches csat, not nps', { ...none, rule: 'csat-low', metric: 'nps' }, formRules, label)).toBe(
			'Rule ‘CSAT low’ watches CSAT, not NPS'
		);
		expect(silenceErrorText('matcher.kind', 'rule churn-70 is a churn rule, not metric', { ...none, rule: 'churn-70', kind: 'metric' }, formRules, label)).toBe(
			'Rule ‘Churn over 70 %’ is a churn rule, not metric'
		);
		expect(silenceErrorText('matcher.metric', 'rule churn-70 is a churn rule and has no metric', { ...none, rule: 'churn-70', metric: 'csat' }, formRules, label)).toBe(
			'Rule ‘Churn over 70 %’ is a churn rule and has no metric'
		);
		// A rule deleted meanwhile keeps its id.
		expect(silenceErrorText('matcher.rule_id', 'no alert rule "gone"', { ...none, rule: 'gone' }, formRules, label)).toBe('No alert rule "gone"');
	});

	it('a customer id names the field that is actually set', () => {
		const msg = 'customer_id matches customer rules (tolerance, churn, silent) only; drop metric or kind metric';
		expect(silenceErrorText('matcher.customer_id', msg, { ...none, metric: 'csat' }, formRules, label)).toBe(
			'Customer id applies to customer alerts (tolerance, churn, silent) only: clear Metric'
		);
		expect(silenceErrorText('matcher.customer_id', msg, { ...none, kind: 'metric' }, formRules, label)).toBe(
			'Customer id applies to customer alerts (tolerance, churn, silent) only: choose a customer Kind, or any kind'
		);
		expect(
			silenceErrorText('matcher.customer_id', 'rule csat-low is a metric rule; customer_id matches customer rules only', { ...none, rule: 'csat-low' }, formRules, label)
		).toBe('Customer id applies to customer alerts (tolerance, churn, silent) only: Rule ‘CSAT low’ is a metric rule; choose a customer rule, or any rule');
	});
});
