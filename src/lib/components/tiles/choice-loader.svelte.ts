// A window or filter chosen on the Overview or a metric page: its page loads in the URL, and a 30-day
// window takes seconds. The control shows the choice at once (loading-text.ts says what loads).
import { goto } from '$app/navigation';
import { page } from '$app/state';
import { withParam } from '$lib/live-client';
import type { PendingChoice } from './loading-text';

export class ChoiceLoader {
	/** The choice being loaded; raw, so `choose` compares the very object its click set. */
	pending = $state.raw<PendingChoice | null>(null);

	/** Loads the current page with one parameter changed; focus stays on the control that chose it. */
	choose = async (name: string, value: string): Promise<void> => {
		const choice = { name, value };
		this.pending = choice;
		try {
			// The current page with its query changed: resolve() is for route ids (as in eslint.config.js for .svelte).
			// eslint-disable-next-line svelte/no-navigation-without-resolve
			await goto(withParam(page.url.search, name, value), { keepFocus: true, noScroll: true });
		} finally {
			// A later click's load is still running: leave its state alone.
			if (this.pending === choice) this.pending = null;
		}
	};

	/**
	 * A window link's click: loaded as `choose` does. A click meant for a new tab or window (modifier
	 * keys, middle button) is left to the browser and the link's href.
	 */
	follow = (e: MouseEvent, name: string, value: string): void => {
		if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
		e.preventDefault();
		void this.choose(name, value);
	};
}
