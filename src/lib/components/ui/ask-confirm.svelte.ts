// Asking "are you sure?" before a destructive action, in the app's own dialog (ConfirmHost.svelte, in the
// app's layout) instead of the browser's confirm(): that one cannot be styled, does not give the focus
// back where it was, and automated browsers dismiss it, so the click silently did nothing.

export interface ConfirmQuestion {
	/** The question, as the dialog's heading ("Revoke the API key “shop”?"). */
	title: string;
	/** What follows from saying yes. */
	detail?: string;
	/** The button that acts ("Revoke"); the other one closes without acting. */
	confirmLabel: string;
	closeLabel?: string;
}

interface Pending extends ConfirmQuestion {
	answer: (yes: boolean) => void;
}

// Raw: a deep $state would hand out a proxy, and "is the open question still this one?" must compare the object itself.
let current = $state.raw<Pending | null>(null);

/** The question on screen, if any (ConfirmHost shows it). */
export const confirmation = {
	get pending(): Pending | null {
		return current;
	}
};

/** Shows the question and resolves with the answer: true for the confirm button, false for the other one or Escape. */
export function askConfirm(question: ConfirmQuestion): Promise<boolean> {
	// One question at a time: a new one answers the one still open with No.
	current?.answer(false);
	return new Promise((resolve) => {
		let answered = false;
		const pending: Pending = {
			...question,
			answer: (yes) => {
				if (answered) return;
				answered = true;
				if (current === pending) current = null;
				resolve(yes);
			}
		};
		current = pending;
	});
}
