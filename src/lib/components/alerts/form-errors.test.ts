import { describe, expect, it } from 'vitest';
import { attentionText, formErrors, formMessage, SILENCE_WORDING, WEBHOOK_FIELDS, WEBHOOK_WORDING } from './form-errors';

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

describe('a webhook form’s errors (add and edit)', () => {
	const webhook = (errors: { field: string; message: string }[]) => formErrors(errors, WEBHOOK_WORDING, WEBHOOK_FIELDS);
	const PLACEHOLDER = 'unknown placeholder {{stat}}; use {{rule}}, {{rule_id}}, {{state}}';

	it('puts each field’s error next to it in the form’s words, counted in the summary', () => {
		const got = webhook([
			{ field: 'url', message: 'url must be an http(s) URL' },
			{ field: 'template', message: PLACEHOLDER },
			{ field: 'name', message: 'Too small: expected string to have >=1 characters' },
			{ field: 'rule_ids', message: 'no alert rule "csat-typo"' }
		]);
		expect(got.fields).toEqual({
			url: 'URL must be an http(s) URL',
			template: 'Unknown placeholder {{stat}}; use {{rule}}, {{rule_id}}, {{state}}',
			name: 'Name cannot be empty or only spaces',
			rule_ids: 'No alert rule "csat-typo"'
		});
		expect(got.summary).toBe('4 fields need attention');
	});

	it('spells out in the summary what has no field of its own in the form, by its label, never an API name', () => {
		const got = webhook([
			{ field: 'template', message: PLACEHOLDER },
			{ field: 'all_rules', message: 'Invalid input: expected boolean, received string' },
			{ field: '(body)', message: 'Invalid input: expected object, received array' }
		]);
		expect(got.fields).toEqual({ template: 'Unknown placeholder {{stat}}; use {{rule}}, {{rule_id}}, {{state}}' });
		expect(got.summary).toBe(
			'1 field needs attention; “Every rule”: Invalid input: expected boolean, received string; Invalid input: expected object, received array'
		);
		expect(got.summary).not.toMatch(/all_rules|\(body\)/);
	});

	it('no field errors: no summary of its own (the caller shows the answer’s message)', () => {
		expect(webhook([])).toEqual({ fields: {}, summary: null });
	});
});
