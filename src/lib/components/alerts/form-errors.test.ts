import { describe, expect, it } from 'vitest';
import { attentionText, formMessage, SILENCE_WORDING, WEBHOOK_WORDING } from './form-errors';

describe('form error summary', () => {
	it('counts the fields that need attention', () => {
		expect(attentionText(1)).toBe('1 field needs attention');
		expect(attentionText(2)).toBe('2 fields need attention');
	});
});

describe('API messages in the form’s words', () => {
	it('silence form: its labels instead of the API field names, its own wording for the matcher', () => {
		const m = (field: string, message: string) => formMessage(field, message, SILENCE_WORDING);
		expect(m('matcher', 'a matcher needs at least one of rule_id, kind, metric, customer_id')).toBe(
			'Choose at least one of Rule, Kind, Metric or Customer id'
		);
		expect(m('ends_at', 'ends_at must be in the future')).toBe('End must be in the future');
		expect(m('ends_at', 'ends_at must be after starts_at')).toBe('End must be after Start');
		const customer = m('matcher.customer_id', 'customer_id matches customer rules (tolerance, churn, silent) only; drop metric or kind metric');
		expect(customer).toMatch(/^Customer id applies to customer alerts/);
		expect(customer).not.toMatch(/customer_id|kind metric/);
		expect(m('matcher.kind', 'rule nps-vip is a metric rule, not churn')).toBe('Rule nps-vip is a metric rule, not churn');
	});
	it('webhook form: URL, not url', () => {
		expect(formMessage('url', 'url must be an http(s) URL', WEBHOOK_WORDING)).toBe('URL must be an http(s) URL');
		expect(formMessage('rule_ids', 'name at least one rule in rule_ids, or set all_rules (this destination would receive nothing)', WEBHOOK_WORDING)).toBe(
			'Name at least one rule in “Only these rules”, or set “Every rule” (this destination would receive nothing)'
		);
		// Only whole names: a URL's own text is left alone.
		expect(formMessage('url', 'url https://example.com/url_x is not a public address', WEBHOOK_WORDING)).toBe(
			'URL https://example.com/url_x is not a public address'
		);
	});
});
