// A date input holding what the browser cannot read as a date (02/30/2026, or month and day without a
// year) answers value "", exactly as an empty one does: only validity.badInput tells them apart. Where an
// empty date means a default (the latest cutoff that works, no limit), reading the value alone would
// silently act on that default instead of what was typed.

/** The part of a date input this reads; a real HTMLInputElement, or a plain object in tests. */
export interface DateInputState {
	value: string;
	validity: { badInput: boolean };
}

/** True when the field shows a date that is not complete or not a real day; false when it is empty or a date. */
export function isIncompleteDate(input: DateInputState | null | undefined): boolean {
	return input !== null && input !== undefined && input.value === '' && input.validity.badInput;
}

/** The field error for such an input; `emptyMeans` says what clearing the field does ("the latest cutoff that works"). */
export function incompleteDateMessage(emptyMeans: string): string {
	return `Not a complete date: type day, month and year, or clear the field for ${emptyMeans}`;
}
