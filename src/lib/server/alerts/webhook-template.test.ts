import { describe, expect, it } from 'vitest';
import { backoffMs, DEFAULT_TEMPLATE, renderTemplate, unknownPlaceholders, webhookBody } from './webhook-template';

describe('webhook template', () => {
	it.each([
		{
			t: DEFAULT_TEMPLATE,
			v: {
				state: 'firing',
				rule: 'CSAT low',
				metric: 'csat',
				value: 61.234,
				threshold: 70,
				at: '2026-01-01T00:00:00Z'
			},
			want: '[firing] CSAT low: csat = 61.23 (threshold 70) at 2026-01-01T00:00:00Z'
		},
		{ t: '{{rule}} {{ value }}', v: { rule: 'x', value: null }, want: 'x —' },
		{ t: 'keep {{nope}}', v: {}, want: 'keep {{nope}}' }
	])('renders $t', ({ t, v, want }) => {
		expect(renderTemplate(t, v)).toBe(want);
	});
	it('lists the placeholders that are not fields, once each', () => {
		expect(unknownPlaceholders(DEFAULT_TEMPLATE)).toEqual([]);
		expect(unknownPlaceholders('{{ rule }} {{Rule}} {{nope}} {{nope}} {{ value-x }} {{}}')).toEqual(['{{Rule}}', '{{nope}}', '{{value-x}}', '{{}}']);
	});

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
