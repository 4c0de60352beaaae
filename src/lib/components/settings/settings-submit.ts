// Settings' forms submit in place (use:enhance) instead of reloading the page: a reload put the focus on
// <body>, and a message rendered with the new page is not announced. Each answer becomes its section's
// status (settings-status.ts), the lists are loaded again, and the focus stays where it was; only when the
// pressed button went away (a revoked key's Revoke) does it go to the section's status line.
// SvelteKit's default (applyAction) is not used: it resets the focus to <body> after a success.
import { tick } from 'svelte';
import { applyAction } from '$app/forms';
import { invalidateAll } from '$app/navigation';
import type { SubmitFunction } from '@sveltejs/kit';
import { UNREACHABLE } from '../alerts/api';
import { statusOfAnswer, type SettingsSection, type SettingsStatus } from './settings-status';

export type Report = (section: SettingsSection, status: SettingsStatus | null) => void;

export interface SubmitOptions {
	/** Empty the form after a success (the "add" forms; a row's form shows the row's current values). */
	reset?: boolean;
}

/** The focus fell to <body> (or onto nothing): the section's status line takes it. */
export function focusStatusIfLost(section: SettingsSection): void {
	const a = document.activeElement;
	if (a && a !== document.body && a.isConnected) return;
	document.querySelector<HTMLElement>(`[data-section-status="${section}"]`)?.focus();
}

/**
 * use:enhance for a form of `section`. A form's `data-confirm` is asked first (answered No: nothing is
 * sent); it is read when the form is sent, since an action's options are fixed when the form is made and a
 * row's question changes with the row (Disable, then Enable).
 */
export function settingsSubmit(
	section: SettingsSection,
	report: Report,
	opts: SubmitOptions = {}
): SubmitFunction {
	return ({ cancel, formElement }) => {
		const question = formElement.dataset.confirm;
		if (question && !confirm(question)) {
			cancel();
			return;
		}
		return async ({ result, formElement }) => {
			if (result.type === 'redirect') {
				// The session ended: the sign-in page, as a full submit would have shown.
				await applyAction(result);
				return;
			}
			if (result.type === 'error') {
				const e = result.error as { message?: string } | undefined;
				const why = result.status ? (e?.message ?? `the server answered ${result.status}`) : UNREACHABLE;
				report(section, { ok: false, text: `Not done: ${why.replace(/\.$/, '')}.` });
			} else {
				if (result.type === 'success' && opts.reset) formElement.reset();
				await invalidateAll();
				// A refused row change (the last admin's role) leaves the row's controls showing what is stored,
				// not what was refused: `data-value` holds the stored value.
				if (result.type === 'failure')
					for (const el of formElement.querySelectorAll<HTMLSelectElement | HTMLInputElement>('[data-value]'))
						el.value = el.dataset.value ?? el.value;
				const answer = statusOfAnswer(result.data);
				report(answer?.section ?? section, answer?.status ?? null);
			}
			await tick();
			focusStatusIfLost(section);
		};
	};
}
