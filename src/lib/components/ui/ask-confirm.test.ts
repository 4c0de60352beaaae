import { describe, expect, it } from 'vitest';
import { askConfirm, confirmation } from './ask-confirm.svelte';

describe('askConfirm', () => {
	it('shows the question until it is answered, then resolves with the answer', async () => {
		const asked = askConfirm({ title: 'Revoke the API key “shop”?', confirmLabel: 'Revoke' });
		expect(confirmation.pending?.title).toBe('Revoke the API key “shop”?');
		confirmation.pending!.answer(true);
		expect(await asked).toBe(true);
		expect(confirmation.pending).toBeNull();
	});

	it('a new question answers the open one No; a late second answer changes nothing', async () => {
		const first = askConfirm({ title: 'first?', confirmLabel: 'Yes' });
		const firstPending = confirmation.pending!;
		const second = askConfirm({ title: 'second?', confirmLabel: 'Yes' });
		expect(await first).toBe(false);
		firstPending.answer(true);
		expect(confirmation.pending?.title).toBe('second?');
		confirmation.pending!.answer(false);
		expect(await second).toBe(false);
		expect(confirmation.pending).toBeNull();
	});
});
