// Field errors as the alert configuration forms (new silence, webhook add and edit) show them.
//
// A form that only marks its fields says nothing to a screen reader: `attentionText` is the short summary
// its live region announces.

/** "1 field needs attention", "2 fields need attention". */
export function attentionText(fields: number): string {
	return fields === 1 ? '1 field needs attention' : `${fields} fields need attention`;
}

/**
 * How a form speaks of the API's fields. The API's messages name its fields (rule_id, ends_at, url: what an
 * API user types), a form's reader knows its labels: `labels` puts the label in place of an API field
 * name wherever a message names one, `messages` gives a field's own wording where no label swap reads
 * right (every error the form can get for that field means the same thing).
 */
export interface FormWording {
	labels: Record<string, string>;
	messages?: Record<string, string>;
}

export const SILENCE_WORDING: FormWording = {
	labels: { rule_id: 'Rule', customer_id: 'Customer id', starts_at: 'Start', ends_at: 'End' },
	messages: {
		matcher: 'Choose at least one of Rule, Kind, Metric or Customer id',
		// The form sends a customer id only when one is typed: every refusal is that it cannot go with a metric.
		'matcher.customer_id':
			'Customer id applies to customer alerts (tolerance, churn, silent) only: clear Metric, or choose a customer Rule or Kind'
	}
};

export const WEBHOOK_WORDING: FormWording = {
	labels: { url: 'URL', rule_ids: '“Only these rules”', all_rules: '“Every rule”', enabled: 'Enabled' },
	messages: {
		// The input is required and capped in the page: the server only refuses a name of spaces.
		name: 'Name cannot be empty or only spaces'
	}
};

/** The webhook forms' fields that show their own error (add and edit). */
export const WEBHOOK_FIELDS = ['name', 'url', 'template', 'rule_ids'] as const;

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The API's message for `field` in the form's words; the first letter capitalised, as a sentence. */
export function formMessage(field: string, message: string, wording: FormWording): string {
	const own = wording.messages?.[field];
	if (own !== undefined) return own;
	const names = Object.keys(wording.labels);
	if (!names.length) return message;
	const re = new RegExp(`(?<![\\w.])(${names.map(escape).join('|')})(?![\\w])`, 'g');
	const text = message.replace(re, (name) => wording.labels[name]);
	return text.charAt(0).toUpperCase() + text.slice(1);
}

export interface FormErrors {
	/** The message next to each field the form shows it at, in the form's words. */
	fields: Record<string, string>;
	/**
	 * The form's role=alert text: how many fields need attention (the errors next to fields are counted, so
	 * it announces them too) and, spelt out, the errors with no field of their own in this form. Null when
	 * the answer had no field errors: the caller shows its message.
	 */
	summary: string | null;
}

/** An API answer's field errors as a form shows them. */
export function formErrors(
	errors: readonly { field: string; message: string }[],
	wording: FormWording,
	shownFields: readonly string[]
): FormErrors {
	const shown = new Set(shownFields);
	const fields: Record<string, string> = {};
	const rest: string[] = [];
	for (const e of errors) {
		const text = formMessage(e.field, e.message, wording);
		if (shown.has(e.field)) fields[e.field] ??= text;
		else {
			// "(body)" is the request as a whole: no field to name.
			const label = wording.labels[e.field];
			rest.push(label ? `${label}: ${text}` : e.field === '(body)' ? text : `${e.field}: ${text}`);
		}
	}
	const marked = Object.keys(fields).length;
	const parts = [...(marked ? [attentionText(marked)] : []), ...rest];
	return { fields, summary: parts.length ? parts.join('; ') : null };
}
