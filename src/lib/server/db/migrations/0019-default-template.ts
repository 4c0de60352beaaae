import type { Migration } from './index';

// A destination stores its template when it is saved, so those saved with an earlier default kept sending
// "[normal] …" for a resolved alert after the default learned {{status}} ("[resolved] …") and {{at_text}}.
// Templates still equal to an earlier default text are set to the current one; edited templates are left alone.
// Literal texts, not the constant: a migration must do the same on every database, whatever the code says later.
export const m0019DefaultTemplate: Migration = {
	id: 19,
	name: 'default-template',
	sql: `
UPDATE webhook_destinations
SET template = '[{{status}}] {{rule}}: {{metric_label}} {{value_text}} (alert when {{condition}}) — {{reason}}, at {{at_text}}'
WHERE template IN (
	'[{{state}}] {{rule}}: {{metric}} = {{value}} (threshold {{threshold}}) at {{at}}',
	'[{{state}}] {{rule}}: {{metric_label}} {{value_text}} (alert when {{condition}}) — {{reason}}, at {{at}}'
);
`
};
