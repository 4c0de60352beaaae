// Settings' forms submit in place (use:enhance) instead of reloading the page: a reload put the focus on
// <body>, and a message rendered with the new page is not announced. Each answer becomes its section's
// status (settings-status.ts), the lists are loaded again, and the focus stays where it was, except: a
// refused field takes it, so does a secret's Copy button (focusAnswer), and when the pressed button went
// away (a revoked key's Revoke) the section's status line takes it.
// SvelteKit's default (applyAction) is not used: it resets the focus to <body> after a success.
import { tick } from 'svelte';
import { applyAction } from '$app/forms';
import { invalidateAll } from '$app/navigation';
import type { SubmitFunction } from '@sveltejs/kit';
import { UNREACHABLE } from '../alerts/api';
import { askConfirm } from '../ui/ask-confirm.svelte';
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
 * The keyboard goes where the answer needs the user: to the field the server refused (its message is tied
 * to it), or to the Copy button of a secret shown once (a new password, an API key, a wall URL), which a
 * screen-reader user would otherwise have to hunt for. False: neither, the focus stays put.
 */
function focusAnswer(form: HTMLFormElement, section: SettingsSection, status: SettingsStatus | null): boolean {
	if (!status) return false;
	const field = status.data?.field;
	if (!status.ok && typeof field === 'string' && typeof status.data?.form === 'string') {
		const input = form.querySelector<HTMLElement>(`[name="${CSS.escape(field)}"]`);
		input?.focus();
		return !!input;
	}
	if (!status.ok || !status.secret) return false;
	const copy = document.querySelector<HTMLElement>(`[data-section-status="${section}"] [data-secret-copy]`);
	copy?.focus();
	return !!copy;
}

/**
 * use:enhance for a form of `section`. A form's `data-confirm` (the question), `data-confirm-detail` and
 * `data-confirm-label` (the button that acts) are asked first in the app's dialog (answered No or Escape:
 * nothing is sent); they are read when the form is sent, since an action's options are fixed when the form
 * is made and a row's question changes with the row (Disable, then Enable).
 */
export function settingsSubmit(
	section: SettingsSection,
	report: Report,
	opts: SubmitOptions = {}
): SubmitFunction {
	return async ({ cancel, formElement }) => {
		const { confirm: question, confirmDetail, confirmLabel } = formElement.dataset;
		if (question && !(await askConfirm({ title: question, detail: confirmDetail, confirmLabel: confirmLabel ?? 'Yes' }))) {
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
				await tick();
				if (answer && focusAnswer(formElement, answer.section, answer.status)) return;
			}
			await tick();
			focusStatusIfLost(section);
		};
	};
}
