// How long a work item can be snoozed: the API refuses a later `until` and the work list's dialog offers no
// more, from this one number.

/** The longest snooze, in days. */
export const MAX_SNOOZE_DAYS = 90;
