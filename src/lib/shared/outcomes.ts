// How a resolved work item's outcome reads wherever it is shown (work list, history, customer page): the
// stored codes (no_action) are for the API and exports, not for people.
export const OUTCOME_LABELS: Record<string, string> = {
	retained: 'Retained',
	churned: 'Churned',
	no_action: 'No action needed',
	false_alarm: 'False alarm'
};

/** The readable outcome; a code this version does not know (a newer server's) is shown as it is. */
export function outcomeLabel(outcome: string): string {
	return Object.hasOwn(OUTCOME_LABELS, outcome) ? OUTCOME_LABELS[outcome] : outcome;
}
