// A retention user signs in, finds the work item opened for a customer whose events came in through
// POST /api/v1/events, claims it with the keyboard, adds a note (n) and resolves it with outcome, root
// cause and note.
// Then the keyboard model on several items: the selection is an item (another user's change never hands
// it to a different customer), focus selects a row, Back keeps the selection, an unreachable server is
// reported without losing what was typed, and items someone else holds are not offered. Last, h hands a
// held item over to a teammate.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, type Page } from 'playwright-core';
import { createApiKey } from '../../src/lib/server/auth/api-keys';
import { createUser } from '../../src/lib/server/auth/users';
import { getDb, shutdownDb } from '../../src/lib/server/db';
import { ARTIFACTS, launchBrowser } from '../helpers/browser';
import { startServer, type TestServer } from '../helpers/server';
import { anEvent } from '../fixtures/events';

const PASSWORD = 'retention-pass-1234';
let server: TestServer;
let browser: Browser;
let dir: string;
let ingestKey = '';
let readKey = '';
/** A second retention user, acting through the API (actor `key:ron`). */
let ronKey = '';

async function items(): Promise<
	{
		id: string;
		customer_id: string;
		state: string;
		assignee: string | null;
		outcome: string | null;
		root_cause: string | null;
		note: string | null;
	}[]
> {
	const r = await fetch(`${server.url}/api/v1/workitems?state=open,claimed,snoozed,resolved`, {
		headers: { authorization: `Bearer ${readKey}` }
	});
	return ((await r.json()) as { items: Awaited<ReturnType<typeof items>> }).items;
}

beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'cx-e2e-wl-'));
	const dbPath = join(dir, 'cx.duckdb');
	const db = await getDb(dbPath);
	try {
		const u = await createUser(db, { username: 'rita', role: 'retention', password: PASSWORD });
		// A teammate rita can hand items to.
		const tess = await createUser(db, { username: 'tess', role: 'retention', password: PASSWORD });
		if (!tess.ok) throw new Error(tess.error);
		const k = await createApiKey(db, { scope: 'ingest', createdBy: 'test' });
		// Reads the work list without changing it (executive keys get 403 there: items carry customer data).
		const r = await createApiKey(db, { scope: 'analyst', createdBy: 'test' });
		const ron = await createApiKey(db, { scope: 'retention', name: 'ron', createdBy: 'test' });
		if (!u.ok || !k.ok || !r.ok || !ron.ok) throw new Error('could not create test credentials');
		ingestKey = k.value.token;
		readKey = r.value.token;
		ronKey = ron.value.token;
	} finally {
		await shutdownDb(dbPath);
	}
	server = await startServer({ dir, env: { CX_TICK_MS: '250' } });
	browser = await launchBrowser();
});

afterAll(async () => {
	await browser?.close();
	await server?.stop({ keepDir: true });
	rmSync(dir, { recursive: true, force: true });
});

/** Four complaints and bad surveys: the customer's debt crosses the tolerance limit, so an item opens. */
function unhappyEvents(customer: string, now: number) {
	return [
		anEvent()
			.withCustomer(customer)
			.withType('complaint')
			.at(new Date(now - 7200_000))
			.build(),
		anEvent()
			.withCustomer(customer)
			.withType('complaint')
			.at(new Date(now - 3600_000))
			.build(),
		anEvent()
			.withCustomer(customer)
			.withType('survey_nps')
			.withRating(1)
			.at(new Date(now - 1800_000))
			.build(),
		anEvent()
			.withCustomer(customer)
			.withType('survey_csat')
			.withRating(1)
			.at(new Date(now - 600_000))
			.build()
	];
}

/** Posts unhappyEvents of `customers` through the ingest API, as a shop would. */
async function postUnhappy(customers: string[]): Promise<void> {
	const now = Date.now();
	const posted = await fetch(`${server.url}/api/v1/events`, {
		method: 'POST',
		headers: { authorization: `Bearer ${ingestKey}`, 'content-type': 'application/json' },
		body: JSON.stringify(customers.flatMap((c) => unhappyEvents(c, now)))
	});
	expect(posted.status).toBe(200);
}

async function signIn(page: Page): Promise<void> {
	await page.goto(`${server.url}/login?next=/alerts`, { waitUntil: 'networkidle' });
	await page.fill('input[name="username"]', 'rita');
	await page.fill('input[name="password"]', PASSWORD);
	await Promise.all([page.waitForURL((u) => u.pathname === '/alerts'), page.click('button[type="submit"]')]);
}

/** An item action as ron (another retention user), through the API. */
async function asRon(id: string, action: 'claim' | 'resolve'): Promise<void> {
	const r = await fetch(`${server.url}/api/v1/workitems/${id}/${action}`, {
		method: 'POST',
		headers: { authorization: `Bearer ${ronKey}`, 'content-type': 'application/json' },
		body: action === 'resolve' ? JSON.stringify({ outcome: 'no_action' }) : '{}'
	});
	expect(r.status, await r.text()).toBe(200);
}

describe('work list', () => {
	it('a retention user claims and resolves an item created by ingested events', async () => {
		await postUnhappy(['cust-unhappy']);

		const page = await browser.newPage();
		try {
			// Type after hydration (it resets a username typed before it); the login URL's ?next= holds "/alerts" too.
			await page.goto(`${server.url}/login?next=/alerts`, { waitUntil: 'networkidle' });
			await page.fill('input[name="username"]', 'rita');
			await page.fill('input[name="password"]', PASSWORD);
			await Promise.all([page.waitForURL((u) => u.pathname === '/alerts'), page.click('button[type="submit"]')]);

			// The alert loop opens the item within a few seconds; the page reloads on the live `workitem` event.
			const row = page.locator('tr[data-item-id]', { hasText: 'cust-unhappy' });
			await row.waitFor({ timeout: 20_000 });
			expect(await row.getAttribute('data-state')).toBe('open');
			await page.screenshot({ path: join(ARTIFACTS, 'worklist-open.png'), fullPage: true });

			await page.locator('body').click({ position: { x: 1, y: 1 } });
			await page.keyboard.press('c');
			await page
				.locator('tr[data-item-id][data-state="claimed"]', { hasText: 'cust-unhappy' })
				.waitFor({ timeout: 10_000 });
			expect(await row.textContent()).toContain('rita');

			// n on the selected row: a note typed straight away (focus is in the box), Ctrl+Enter sends it.
			// A server that cannot be reached keeps the typed note and says so; sent again, it shows in
			// the row's history and count.
			await page.keyboard.press('n');
			const noteDialog = page.getByRole('dialog');
			await noteDialog.waitFor();
			expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('TEXTAREA');
			// A pasted text over the limit is kept whole and said to be too long, not cut short.
			await noteDialog.getByLabel('Note').fill('x'.repeat(2001));
			expect(await noteDialog.getByLabel('Note').inputValue()).toHaveLength(2001);
			expect(await noteDialog.textContent()).toContain('2,001 characters: 1 over the limit of 2,000');
			expect(await noteDialog.getByRole('button', { name: 'Add note' }).isDisabled()).toBe(true);
			await noteDialog.getByLabel('Note').fill('');
			await page.keyboard.type('called, left voicemail');
			await page.route('**/api/v1/workitems/*/notes', (r) => r.abort('connectionrefused'));
			await page.keyboard.press('Control+Enter');
			await expect(noteDialog.getByRole('alert').textContent()).resolves.toMatch(
				/Could not add a note for .+: cannot reach the server; nothing was changed/
			);
			expect(await noteDialog.getByLabel('Note').inputValue()).toBe('called, left voicemail');
			await page.unroute('**/api/v1/workitems/*/notes');
			await page.keyboard.press('Control+Enter');
			await noteDialog.waitFor({ state: 'detached' });
			await row.getByTestId('notes-count').filter({ hasText: '✎ 1' }).waitFor({ timeout: 10_000 });
			await row.locator('summary').click();
			await expect(row.locator('details ol').textContent()).resolves.toMatch(
				/rita: open → claimed.*rita ✎ note:\s*called, left voicemail/s
			);
			// Escape cancels: nothing is sent.
			await page.locator('body').click({ position: { x: 1, y: 1 } });
			await page.keyboard.press('n');
			await noteDialog.waitFor();
			await page.keyboard.type('never sent');
			await page.keyboard.press('Escape');
			// The element itself, not the role: a <dialog> closed by Escape leaves the accessibility tree at
			// once but the page removes it on its 'close' event, a task later; a key typed in between still
			// lands in its textarea.
			await page.locator('dialog').waitFor({ state: 'detached' });

			await page.keyboard.press('r');
			const dialog = page.getByRole('dialog');
			await dialog.waitFor();
			await dialog.getByLabel('Retained').check();
			await dialog.getByLabel('Root cause').fill('slow support');
			await dialog.getByLabel('Note').fill('called the customer, waived the fee');
			await dialog.getByRole('button', { name: 'Resolve' }).click();
			await page
				.locator('tr[data-item-id]', { hasText: 'cust-unhappy' })
				.waitFor({ state: 'detached', timeout: 10_000 });

			const [item] = (await items()).filter((i) => i.customer_id === 'cust-unhappy');
			expect(item).toMatchObject({
				state: 'resolved',
				assignee: 'rita',
				outcome: 'retained',
				root_cause: 'slow support',
				note: 'called the customer, waived the fee'
			});

			await page.goto(`${server.url}/alerts?state=resolved`);
			const resolved = page.locator('tr[data-item-id]', { hasText: 'cust-unhappy' });
			await resolved.locator('summary').click();
			const history = await resolved.locator('details ol').textContent();
			expect(history).toMatch(/system: — → open/);
			expect(history).toMatch(/rita: open → claimed/);
			expect(history).toMatch(/rita: claimed → resolved/);
			// Notes interleaved by time: the note while working, then the resolution's note.
			expect(history).toMatch(
				/called, left voicemail.*rita: claimed → resolved.*note when resolving:\s*called the customer, waived the fee/s
			);
			expect(history).not.toContain('never sent');
			await page.screenshot({ path: join(ARTIFACTS, 'worklist-resolved.png'), fullPage: true });
		} catch (e) {
			await page.screenshot({ path: join(ARTIFACTS, 'worklist-failure.png'), fullPage: true });
			console.error(`server output:\n${server.output()}`);
			throw e;
		} finally {
			await page.close();
		}
	});

	it('keyboard: the selection is an item, focus selects, Back keeps it, failures are reported', async () => {
		const customers = ['wl-a', 'wl-b', 'wl-c', 'wl-d'];
		await postUnhappy(customers);

		const page = await browser.newPage();
		const claims: string[] = [];
		page.on('request', (r) => {
			if (r.method() === 'POST' && r.url().endsWith('/claim')) claims.push(r.url());
		});
		const rows = page.locator('tr[data-item-id]');
		const selected = page.locator('tr[data-item-id][aria-selected="true"]');
		const message = page.getByTestId('worklist-message');
		const rowOf = (id: string) => page.locator(`tr[data-item-id="${id}"]`);
		const focusedItem = () =>
			page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.itemId ?? null);
		const state = async (id: string) => (await items()).find((i) => i.id === id);
		try {
			await signIn(page);
			for (const c of customers) await rows.filter({ hasText: c }).waitFor({ timeout: 20_000 });

			// 1. Another user resolves the selected item: the row goes, and with it the selection. The old
			// page kept "row 0" highlighted, now another customer, and `c` claimed that customer.
			await expect(selected.count()).resolves.toBe(1);
			const first = (await selected.getAttribute('data-item-id'))!;
			await asRon(first, 'resolve');
			await rowOf(first).waitFor({ state: 'detached', timeout: 10_000 });
			await expect(selected.count()).resolves.toBe(0);
			await expect(message.textContent()).resolves.toMatch(/left the list/);
			await page.locator('body').click({ position: { x: 1, y: 1 } });
			await page.keyboard.press('c');
			await expect(message.textContent()).resolves.toMatch(/Nothing is selected/);
			await page.waitForTimeout(500);
			expect(claims).toEqual([]);

			// 4. j selects again; Enter opens that customer, and Back brings the same selection, focused.
			await page.keyboard.press('j');
			await page.keyboard.press('j');
			const chosen = (await selected.getAttribute('data-item-id'))!;
			const chosenCustomer = (await state(chosen))!.customer_id;
			await page.keyboard.press('Enter');
			await page.waitForURL((u) => u.pathname === `/customers/${chosenCustomer}`);
			await page.goBack();
			await page.waitForURL((u) => u.pathname === '/alerts');
			await page.waitForFunction(
				(id) => document.activeElement?.getAttribute('data-item-id') === id,
				chosen,
				{ timeout: 10_000 }
			);
			expect(await selected.getAttribute('data-item-id')).toBe(chosen);
			// 7. Enter on the focused, selected row opens the customer too.
			await page.keyboard.press('Enter');
			await page.waitForURL((u) => u.pathname === `/customers/${chosenCustomer}`);
			await page.goBack();
			await page.waitForFunction(
				(id) => document.activeElement?.getAttribute('data-item-id') === id,
				chosen,
				{ timeout: 10_000 }
			);

			// 3. Tabbing into another row selects it: `c` claims the row that has focus, and focus stays on
			// that row when its Claim button goes away.
			const ids = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-item-id')!));
			const target = ids.find((id) => id !== chosen)!;
			await rowOf(target).locator('a').first().focus();
			await page.keyboard.press('Tab');
			expect(await page.evaluate(() => document.activeElement?.getAttribute('data-action'))).toBe('claim');
			expect(await selected.getAttribute('data-item-id')).toBe(target);
			await page.keyboard.press('c');
			await page.locator(`tr[data-item-id="${target}"][data-state="claimed"]`).waitFor({ timeout: 10_000 });
			expect((await state(target))!.assignee).toBe('rita');
			expect((await state(chosen))!.assignee).toBeNull();
			await page.waitForFunction((id) => document.activeElement?.getAttribute('data-item-id') === id, target);
			// 7. A dialog opened by its shortcut with focus nowhere (<body>) gives focus to the row on Escape.
			await page.locator('body').click({ position: { x: 1, y: 1 } });
			await page.keyboard.press('s');
			const snooze = page.getByRole('dialog');
			await snooze.waitFor();
			// A length the API would refuse gets the dialog's own error at the field, in hours, and no "Comes
			// back" time (−5 previewed a time in the past); Snooze sends nothing and puts focus on the field.
			const hours = snooze.getByLabel('Snooze for (hours)');
			await expect(snooze.textContent()).resolves.toMatch(/Comes back/);
			let snoozeSent = 0;
			await page.route('**/api/v1/workitems/*/snooze', (r) => (snoozeSent++, r.continue()));
			for (const bad of ['-5', '0', '5000', '']) {
				await hours.fill(bad);
				await snooze.locator('#snooze-hours-error').waitFor();
				expect(await hours.getAttribute('aria-invalid')).toBe('true');
				await expect(snooze.getByRole('alert').textContent()).resolves.toBe('1 field needs attention');
				expect(await snooze.textContent()).not.toMatch(/Comes back/);
			}
			await expect(snooze.locator('#snooze-hours-error').textContent()).resolves.toMatch(/1 to 2,160 hours \(90 days\)/);
			await snooze.getByRole('button', { name: 'Snooze' }).click();
			expect(await hours.evaluate((el) => el === document.activeElement)).toBe(true);
			await hours.fill('2');
			await expect(snooze.textContent()).resolves.toMatch(/Comes back/);
			expect(await snooze.locator('#snooze-hours-error').count()).toBe(0);
			expect(snoozeSent).toBe(0);
			await page.unroute('**/api/v1/workitems/*/snooze');
			await hours.focus();
			await page.keyboard.press('Escape');
			await page.locator('dialog').waitFor({ state: 'detached' }); // the element, as above
			await page.waitForFunction((id) => document.activeElement?.getAttribute('data-item-id') === id, target);

			// 5. The server cannot be reached: the dialog says so, keeps the note and can be sent again.
			await page.keyboard.press('r');
			const dialog = page.getByRole('dialog');
			await dialog.waitFor();
			await dialog.getByLabel('Note').fill('left a voicemail');
			// No outcome is chosen for the user (outcomes label the model's evaluation): Resolve without one is
			// refused at the field, with the summary, focus on the field, and nothing sent.
			expect(await dialog.locator('input[name="outcome"]:checked').count()).toBe(0);
			let resolveSent = 0;
			await page.route('**/api/v1/workitems/*/resolve', (r) => (resolveSent++, r.abort('connectionrefused')));
			const resolve = dialog.getByRole('button', { name: 'Resolve' });
			await resolve.click();
			await expect(dialog.locator('#resolve-outcome-error').textContent()).resolves.toMatch(/^Choose an outcome/);
			await expect(dialog.getByRole('alert').textContent()).resolves.toBe('1 field needs attention');
			expect(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name)).toBe('outcome');
			expect(resolveSent).toBe(0);
			await dialog.getByLabel('No action needed').check();
			expect(await dialog.locator('#resolve-outcome-error').count()).toBe(0);
			await resolve.click();
			await expect(dialog.getByRole('alert').textContent()).resolves.toMatch(
				/cannot reach the server; nothing was changed/
			);
			expect(await resolve.isEnabled()).toBe(true);
			expect(await dialog.getByLabel('Note').inputValue()).toBe('left a voicemail');
			expect((await state(target))!.state).toBe('claimed');
			await page.unroute('**/api/v1/workitems/*/resolve');
			await resolve.click();
			await rowOf(target).waitFor({ state: 'detached', timeout: 10_000 });
			expect(await state(target)).toMatchObject({ state: 'resolved', note: 'left a voicemail' });
			// 7. Focus goes to the row that took the resolved one's place, which is the selected row.
			await page.waitForFunction(() => document.activeElement?.getAttribute('aria-selected') === 'true');

			// 5. A claim that cannot reach the server is an error, not a silent failure.
			await page.route('**/api/v1/workitems/*/claim', (r) => r.abort('connectionrefused'));
			const next = (await focusedItem())!;
			await page.keyboard.press('c');
			await page.locator('[data-testid="worklist-message"][data-kind="error"]').waitFor();
			expect(await page.getByRole('alert').filter({ hasText: 'cannot reach the server' }).count()).toBe(1);
			await page.unroute('**/api/v1/workitems/*/claim');
			expect((await state(next))!.assignee).toBeNull();

			// 6. An item ron holds offers no buttons that could only fail here (a note changes nothing about
			// the item, so it stays on offer), and `c` says who holds it instead of failing.
			await asRon(next, 'claim');
			await rowOf(next).filter({ hasText: 'held by key:ron' }).waitFor({ timeout: 10_000 });
			expect(
				await rowOf(next)
					.locator('button[data-action]')
					.evaluateAll((els) => els.map((e) => e.getAttribute('data-action')))
			).toEqual(['note']);
			await rowOf(next).locator('td').first().click();
			claims.length = 0;
			await page.keyboard.press('c');
			await expect(message.textContent()).resolves.toMatch(/held by key:ron/);
			expect(claims).toEqual([]);
			await page.screenshot({ path: join(ARTIFACTS, 'worklist-keyboard.png'), fullPage: true });
		} catch (e) {
			await page.screenshot({ path: join(ARTIFACTS, 'worklist-keyboard-failure.png'), fullPage: true });
			console.error(`server output:\n${server.output()}`);
			throw e;
		} finally {
			await page.close();
		}
	});

	it('keyboard: h hands a held item over to a teammate, who then holds it', async () => {
		await postUnhappy(['wl-handover']);
		const page = await browser.newPage();
		const row = page.locator('tr[data-item-id]', { hasText: 'wl-handover' });
		try {
			await signIn(page);
			await row.waitFor({ timeout: 20_000 });
			const id = (await row.getAttribute('data-item-id'))!;
			await row.locator('td').first().click();
			await page.keyboard.press('c');
			await page.locator(`tr[data-item-id="${id}"][data-state="claimed"]`).waitFor({ timeout: 10_000 });
			expect(
				await row.locator('button[data-action]').evaluateAll((els) => els.map((e) => e.getAttribute('data-action')))
			).toEqual(['snooze', 'resolve', 'note', 'release', 'handover']);

			await page.keyboard.press('h');
			const dialog = page.getByRole('dialog');
			await dialog.waitFor();
			// Focus starts on the teammate list; typing a name picks it, Tab goes on to the note.
			expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('assignee');
			await page.keyboard.type('tess');
			expect(await dialog.getByLabel('Teammate').inputValue()).toBe('tess');
			await page.keyboard.press('Tab');
			await page.keyboard.type('on holiday until Monday');
			await page.keyboard.press('Control+Enter');
			await page.locator('dialog').waitFor({ state: 'detached' });
			await row.filter({ hasText: 'held by tess' }).waitFor({ timeout: 10_000 });
			expect(
				await row.locator('button[data-action]').evaluateAll((els) => els.map((e) => e.getAttribute('data-action')))
			).toEqual(['note']);
			await page.waitForFunction((i) => document.activeElement?.getAttribute('data-item-id') === i, id);
			await row.locator('summary').click();
			await expect(row.locator('details ol').textContent()).resolves.toMatch(
				/handed over by rita to tess:\s*on holiday until Monday/
			);
			expect((await items()).find((i) => i.id === id)).toMatchObject({ state: 'claimed', assignee: 'tess' });
		} catch (e) {
			await page.screenshot({ path: join(ARTIFACTS, 'worklist-handover-failure.png'), fullPage: true });
			console.error(`server output:\n${server.output()}`);
			throw e;
		} finally {
			await page.close();
		}
	});

	it('keyboard: j/k move the focus with the selection, the row is named, Tab goes on from it', async () => {
		const customers = ['wl-focus-a', 'wl-focus-b', 'wl-focus-c'];
		await postUnhappy(customers);
		const page = await browser.newPage();
		const active = () =>
			page.evaluate(() => {
				const a = document.activeElement as HTMLElement | null;
				return {
					item: a?.dataset.itemId ?? null,
					selected: a?.getAttribute('aria-selected') ?? null,
					name: a?.getAttribute('aria-label') ?? null,
					inRow: a?.closest('tr')?.getAttribute('data-item-id') ?? null,
					tag: a?.tagName ?? null
				};
			});
		try {
			await signIn(page);
			const rows = page.locator('tr[data-item-id]');
			for (const c of customers) await rows.filter({ hasText: c }).waitFor({ timeout: 20_000 });
			await page.locator('tr[data-item-id][aria-selected="true"]').waitFor();
			const ids = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-item-id')!));

			// From nowhere (<body>): j selects the next row and the focus goes with it.
			await page.locator('body').click({ position: { x: 1, y: 1 } });
			const start = ids.indexOf((await page.locator('tr[aria-selected="true"]').getAttribute('data-item-id'))!);
			await page.keyboard.press('j');
			let a = await active();
			expect(a.item).toBe(ids[start + 1]);
			expect(a.selected).toBe('true');
			// Named for a screen reader: customer, reason, state and age.
			const customer = (await rows.nth(start + 1).locator('td').nth(1).locator('a').textContent())!.trim();
			expect(a.name).toMatch(new RegExp(`^${customer}, Tolerance crossed, open, opened .+ ago`));
			await page.keyboard.press('j');
			expect((await active()).item).toBe(ids[start + 2]);
			await page.keyboard.press('k');
			a = await active();
			expect(a.item).toBe(ids[start + 1]);
			// Tab goes on from the selected row: its customer link, then its first button.
			await page.keyboard.press('Tab');
			a = await active();
			expect([a.tag, a.inRow]).toEqual(['A', ids[start + 1]]);
			await page.keyboard.press('Tab');
			expect(await page.evaluate(() => document.activeElement?.getAttribute('data-action'))).toBe('claim');
			// From a row's button, k moves the focus to the row above, and j back.
			await page.keyboard.press('k');
			expect((await active()).item).toBe(ids[start]);
			await page.keyboard.press('j');
			expect((await active()).item).toBe(ids[start + 1]);

			// Typing in a field or working in a dialog keeps its keys.
			await page.locator('select').first().focus();
			await page.keyboard.press('j');
			expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('SELECT');
			expect(await page.locator('tr[aria-selected="true"]').getAttribute('data-item-id')).toBe(ids[start + 1]);
			await page.locator('body').click({ position: { x: 1, y: 1 } });
			await page.keyboard.press('n');
			const dialog = page.getByRole('dialog');
			await dialog.waitFor();
			await page.keyboard.type('jk');
			expect(await dialog.getByLabel('Note').inputValue()).toBe('jk');
			expect(await page.locator('tr[aria-selected="true"]').getAttribute('data-item-id')).toBe(ids[start + 1]);
			await page.keyboard.press('Escape');
			await page.locator('dialog').waitFor({ state: 'detached' });
		} catch (e) {
			await page.screenshot({ path: join(ARTIFACTS, 'worklist-focus-failure.png'), fullPage: true });
			console.error(`server output:\n${server.output()}`);
			throw e;
		} finally {
			await page.close();
		}
	});

	it('an open item offers Assign… (the server lets anyone who may change items give it to a teammate)', async () => {
		await postUnhappy(['wl-assign']);
		const page = await browser.newPage();
		const row = page.locator('tr[data-item-id]', { hasText: 'wl-assign' });
		try {
			await signIn(page);
			await row.waitFor({ timeout: 20_000 });
			const id = (await row.getAttribute('data-item-id'))!;
			expect(await row.getAttribute('data-state')).toBe('open');
			const assign = row.locator('button[data-action="handover"]');
			expect((await assign.textContent())?.trim()).toMatch(/^Assign…/);
			await assign.click();
			const dialog = page.getByRole('dialog', { name: /^Assign the item for wl-assign/ });
			await dialog.waitFor();
			await dialog.getByLabel('Teammate').selectOption('tess');
			await dialog.getByRole('button', { name: 'Assign', exact: true }).click();
			await page.locator('dialog').waitFor({ state: 'detached' });
			await expect(page.getByTestId('worklist-message').textContent()).resolves.toContain(
				'Assigned the item for wl-assign to tess.'
			);
			await row.filter({ hasText: 'held by tess' }).waitFor({ timeout: 10_000 });
			expect((await items()).find((i) => i.id === id)).toMatchObject({ state: 'claimed', assignee: 'tess' });
			await row.locator('summary').click();
			await expect(row.locator('details ol').textContent()).resolves.toMatch(/assigned by rita to tess/);
		} catch (e) {
			await page.screenshot({ path: join(ARTIFACTS, 'worklist-assign-failure.png'), fullPage: true });
			console.error(`server output:\n${server.output()}`);
			throw e;
		} finally {
			await page.close();
		}
	});

	it('a deep link to one customer shows that filter and lets it be removed', async () => {
		const page = await browser.newPage();
		try {
			await signIn(page);
			await page.goto(`${server.url}/alerts?customer_id=cust-unhappy&state=open,claimed,snoozed,resolved`);
			const chip = page.locator('[data-filter="customer_id"]');
			await expect(chip.textContent()).resolves.toMatch(/Customer: cust-unhappy/);
			await page.locator('tr[data-item-id]', { hasText: 'cust-unhappy' }).waitFor();
			expect(await page.locator('tr[data-item-id]').count()).toBe(1);
			await chip.getByRole('button', { name: 'Remove the customer filter' }).click();
			await page.waitForURL((u) => !u.searchParams.has('customer_id'));
			await chip.waitFor({ state: 'detached' });
		} finally {
			await page.close();
		}
	});
});
