import { describe, expect, it } from 'vitest';
import { atText, backoffMs, conditionTexts, DEFAULT_TEMPLATE, notificationVars, renderTemplate, testNotificationVars, unclosedPlaceholders, unitTexts, unknownPlaceholders, webhookBody } from './webhook-template';
import type { RuleDefinition } from './rule-schema';
import { aMetricRuleDef } from '../../../../tests/fixtures/alerts';

describe('value and threshold with their unit', () => {
	// One metric of each unit in metrics/definitions.ts, formatted as its tile shows it.
	it.each([
		['csat', 'percent', 72.44, 70, '72.4 %', '70 %'],
		['nps', 'score', 31.6, 20, '32', '20'],
		['res_median', 'seconds', 245, 7200, '4.1 min', '2 h'],
		['frt_median', 'seconds', 42, 30, '42 s', '30 s'],
		['active_customers', 'count', 12_345, 10_000, '12.3 k', '10 k'],
		['at_risk_revenue', 'currency', 1234, 50_000, '£1,234', '£50 k'],
		['avg_relationship_days', 'days', 88.4, 90, '88 d', '90 d']
	])('%s (%s): %d → %s, threshold %d → %s', (metric, _unit, value, threshold, valueText, thresholdText) => {
		const texts = unitTexts(aMetricRuleDef({ metric, threshold }), value, threshold);
		expect(texts).toEqual({ value_text: valueText, threshold_text: thresholdText });
		expect(renderTemplate('{{value_text}} / {{threshold_text}}', texts)).toBe(`${valueText} / ${thresholdText}`);
	});

	it('says no data for a missing value, keeping the threshold', () => {
		expect(renderTemplate('{{value_text}} (threshold {{threshold_text}})', unitTexts(aMetricRuleDef({ metric: 'csat', threshold: 70 }), null, 70))).toBe(
			'— (threshold 70 %)'
		);
	});

	it.each([
		[{ kind: 'tolerance' }, 3, '3 customers', 'experience debt crossed the tolerance limit'],
		[{ kind: 'churn', min_probability: 0.7 }, 1, '1 customer', 'churn probability ≥ 70 %'],
		[{ kind: 'silent', min_monthly_value: 500, days: 30 }, 0, '0 customers', 'customer worth ≥ £500/month silent for 30 days']
	] as [RuleDefinition, number, string, string][])('customer rule %o: the customers matching and the condition', (def, n, valueText, thresholdText) => {
		expect(unitTexts(def, n, null)).toEqual({ value_text: valueText, threshold_text: thresholdText });
	});
});

describe('webhook template', () => {
	it.each([
		{
			t: '{{metric}} = {{value}} (threshold {{threshold}})',
			v: { metric: 'csat', value: 61.234, threshold: 70 },
			want: 'csat = 61.23 (threshold 70)'
		},
		{
			t: DEFAULT_TEMPLATE,
			v: {
				state: 'firing',
				status: 'firing',
				rule: 'CSAT low',
				metric: 'csat',
				value: 61.234,
				threshold: 70,
				...unitTexts(aMetricRuleDef({ metric: 'csat', threshold: 70 }), 61.234, 70),
				...conditionTexts(aMetricRuleDef({ metric: 'csat', threshold: 70 }), 70),
				at: '2026-01-01T00:00:00Z',
				at_text: '2026-01-01 00:00 UTC',
				reason: 'condition met'
			},
			want: '[firing] CSAT low: CSAT 61.2 % (alert when < 70 %) — condition met, at 2026-01-01 00:00 UTC'
		},
		{ t: '{{rule}} {{ value }}', v: { rule: 'x', value: null }, want: 'x —' },
		{ t: 'keep {{nope}}', v: {}, want: 'keep {{nope}}' }
	])('renders $t', ({ t, v, want }) => {
		expect(renderTemplate(t, v)).toBe(want);
	});
	it('default: the metric by its label, the side of the threshold that alerts, and the reason', () => {
		const def = aMetricRuleDef({ metric: 'complaint_rate', comparator: '>', threshold: 0 });
		const text = renderTemplate(DEFAULT_TEMPLATE, {
			state: 'normal',
			status: 'resolved',
			rule: 'Complaints',
			...unitTexts(def, 0.9, 0),
			...conditionTexts(def, 0),
			at: '2026-12-06T22:06:00.000Z',
			at_text: '2026-12-06 22:06 UTC',
			reason: 'rule deleted by ana'
		});
		expect(text).toBe('[resolved] Complaints: Complaint rate 0.9 % (alert when > 0 %) — rule deleted by ana, at 2026-12-06 22:06 UTC');
		const churn = { kind: 'churn', min_probability: 0.7 } as RuleDefinition;
		expect(conditionTexts(churn, null)).toEqual({ metric_label: 'Churn risk', condition: 'churn probability ≥ 70 %' });
		const vip = aMetricRuleDef({ metric: 'nps', threshold: 10, scope: { kind: 'segment', value: 'vip' } });
		expect(conditionTexts(vip, 10)).toEqual({ metric_label: 'NPS (segment vip)', condition: '< 10' });
	});
	it('lists the placeholders that are not fields, once each', () => {
		expect(unknownPlaceholders(DEFAULT_TEMPLATE)).toEqual([]);
		expect(unknownPlaceholders('{{ rule }} {{Rule}} {{nope}} {{nope}} {{ value-x }} {{}}')).toEqual(['{{Rule}}', '{{nope}}', '{{value-x}}', '{{}}']);
	});

	it('the default template reads a time as people do', () => {
		expect(DEFAULT_TEMPLATE).toBe('[{{status}}] {{rule}}: {{metric_label}} {{value_text}} (alert when {{condition}}) — {{reason}}, at {{at_text}}');
		expect(atText(Date.parse('2026-12-07T01:02:59.900Z'))).toBe('2026-12-07 01:02 UTC');
	});

	it('builds the built-in test message: marked as a test in the default template, and by its rule name in any other', () => {
		const v = testNotificationVars(Date.parse('2026-12-07T01:02:00Z'));
		expect(renderTemplate(DEFAULT_TEMPLATE, v)).toBe(
			'[test] Test notification (not a real alert): CSAT 64.2 % (alert when < 70 %) — sent with the Test button of cx-command, at 2026-12-07 01:02 UTC'
		);
		expect(renderTemplate('[{{state}}] {{rule}}', v)).toBe('[firing] Test notification (not a real alert)');
	});
});

describe('a notification’s placeholders', () => {
	const rule = { id: 'csat-low', name: 'CSAT low', definition: aMetricRuleDef({ metric: 'csat', threshold: 70 }) };
	const t0 = Date.parse('2026-12-07T01:02:00Z');

	it('a firing that starts: status firing, state as the rule’s, the ISO time kept for tools', () => {
		const v = notificationVars(rule, { from: 'pending', to: 'firing', at: t0, value: 61.2, threshold: 70, reason: 'condition held for 60 s' });
		expect(v).toMatchObject({ status: 'firing', state: 'firing', previous_state: 'pending', rule_id: 'csat-low', at: '2026-12-07T01:02:00.000Z', at_text: '2026-12-07 01:02 UTC', reason: 'condition held for 60 s' });
		expect(renderTemplate(DEFAULT_TEMPLATE, v)).toBe('[firing] CSAT low: CSAT 61.2 % (alert when < 70 %) — condition held for 60 s, at 2026-12-07 01:02 UTC');
	});

	it('its end: status resolved, whatever state it ended in', () => {
		for (const to of ['normal', 'nodata', 'error'] as const) {
			expect(notificationVars(rule, { from: 'firing', to, at: t0, value: 75, threshold: 70, reason: 'condition cleared' })).toMatchObject({ status: 'resolved', state: to });
		}
		expect(renderTemplate(DEFAULT_TEMPLATE, notificationVars(rule, { from: 'recovering', to: 'normal', at: t0, value: 75, threshold: 70, reason: 'condition cleared' }))).toMatch(/^\[resolved\] CSAT low/);
	});

	it('a firing a silence held back says since when it fires', () => {
		const since = Date.parse('2026-12-07T00:40:00Z');
		const v = notificationVars(rule, { from: 'firing', to: 'firing', at: t0, value: 61.2, threshold: 70, reason: 'silence ended', firingSince: since });
		expect(v.reason).toBe('silence ended; firing since 00:40 UTC');
		const yesterday = notificationVars(rule, { from: 'firing', to: 'firing', at: t0, value: 61.2, threshold: 70, reason: 'silence ended', firingSince: Date.parse('2026-12-06T23:10:00Z') });
		expect(yesterday.reason).toBe('silence ended; firing since 2026-12-06 23:10 UTC');
		expect(notificationVars(rule, { from: 'firing', to: 'firing', at: t0, value: 61.2, threshold: 70, reason: 'silence ended' }).reason).toBe('silence ended');
	});

	it('the new placeholders are fields', () => {
		expect(unknownPlaceholders('{{status}} {{at_text}} {{state}} {{at}}')).toEqual([]);
	});
});

describe('webhook bodies', () => {
	it('builds a Slack-compatible body', () => {
		expect(webhookBody('{{rule}}', { rule: 'r' })).toEqual({ text: 'r', cx: { rule: 'r' } });
	});
	it.each([
		[1, 1000],
		[2, 2000],
		[3, 4000],
		[5, 16000],
		[30, 3_600_000]
	])('backoff after %i failures is %i ms', (n, ms) => {
		expect(backoffMs(n, 1000)).toBe(ms);
	});
});

describe('unclosedPlaceholders', () => {
	it('finds a {{ with no }} before the next {{ or the end, and nothing in a well-formed template', () => {
		expect(unclosedPlaceholders('{{ rule }} {{value}} {{rule')).toEqual(['{{rule']);
		expect(unclosedPlaceholders('[{{state} {{rule}}')).toEqual(['{{state}']);
		expect(unclosedPlaceholders(DEFAULT_TEMPLATE)).toEqual([]);
		expect(unclosedPlaceholders('no placeholders } at all }}')).toEqual([]);
	});
});
