// Field errors as the alert configuration forms (new silence, webhook edit) show them.
//
// A form that only marks its fields says nothing to a screen reader: `attentionText` is the short summary
// its live region announces.

/** "1 field needs attention", "2 fields need attention". */
export function attentionText(fields: number): string {
	return fields === 1 ? '1 field needs attention' : `${fields} fields need attention`;
}
