// What the work list offers on an item follows what the server allows, and messages name the customer.
import { describe, expect, it } from 'vitest';
import {
	failureText,
	handoverLabel,
	refusal,
	rowName,
	successText,
	type ListedItem,
	type Viewer
} from './worklist-actions';

const rita: Viewer = { username: 'rita', role: 'retention', canChangeItems: true };
const admin: Viewer = { username: 'ada', role: 'admin', canChangeItems: true };
const item = (over: Partial<ListedItem> = {}): ListedItem => ({
	id: '0b6c1f7e-1111-4222-8333-944445555666',
	customer_id: 'c-17',
	customer_name: 'Ann Lee',
	state: 'open',
	assignee: null,
	...over
});

describe('refusal', () => {
	it('offers everything on an open item', () => {
		for (const a of ['claim', 'snooze', 'resolve'] as const) expect(refusal(a, item(), rita)).toBeNull();
	});

	it("refuses an item someone else holds (the server's 409) and says who holds it; an admin may take it over", () => {
		const held = item({ state: 'claimed', assignee: 'ron' });
		for (const a of ['claim', 'snooze', 'resolve', 'release', 'handover', 'takeover'] as const)
			expect(refusal(a, held, rita)).toBe(
				'The item for Ann Lee is held by ron; only they or an admin can change it.'
			);
		// An admin may also hand it to someone else (POST /assign allows an admin any item).
		for (const a of ['snooze', 'resolve', 'release', 'takeover', 'handover'] as const)
			expect(refusal(a, held, admin)).toBeNull();
		// An admin's claim of it would be a takeover nobody could tell from a claim: Take over records it.
		expect(refusal('claim', held, admin)).toBe('The item for Ann Lee is held by ron: take it over (t) or release it (u).');
		expect(handoverLabel(held)).toBe('Hand over…');
	});

	it('release and hand over are offered on an item one holds, claimed or snoozed; take over is not', () => {
		for (const state of ['claimed', 'snoozed']) {
			const mine = item({ state, assignee: 'rita' });
			expect(refusal('release', mine, rita)).toBeNull();
			expect(refusal('handover', mine, rita)).toBeNull();
			expect(refusal('takeover', mine, rita)).toBe('You already hold the item for Ann Lee.');
		}
	});

	it('an open item has nothing to release or take over; anyone who may change items may assign it', () => {
		for (const v of [rita, admin]) {
			expect(refusal('release', item(), v)).toBe('Nobody holds the item for Ann Lee: there is nothing to release.');
			expect(refusal('takeover', item(), v)).toBe('Nobody holds the item for Ann Lee: claim it (c) instead.');
			expect(refusal('handover', item(), v)).toBeNull();
		}
		expect(handoverLabel(item())).toBe('Assign…');
		expect(handoverLabel(item({ state: 'claimed', assignee: 'rita' }))).toBe('Hand over…');
		expect(refusal('handover', item(), { username: 'eve', role: 'analyst', canChangeItems: false })).toMatch(
			/analyst.*not change/
		);
	});

	it('refuses every action on a resolved item, for admins too', () => {
		for (const a of ['claim', 'snooze', 'resolve', 'release', 'handover', 'takeover'] as const)
			for (const v of [rita, admin])
				expect(refusal(a, item({ state: 'resolved', assignee: 'rita' }), v)).toBe(
					'The item for Ann Lee is already resolved.'
				);
	});

	it('claiming an item one holds is not offered, unless it is snoozed (claiming wakes it)', () => {
		expect(refusal('claim', item({ state: 'claimed', assignee: 'rita' }), rita)).toBe(
			'You already hold the item for Ann Lee.'
		);
		expect(refusal('claim', item({ state: 'snoozed', assignee: 'rita' }), rita)).toBeNull();
		expect(refusal('resolve', item({ state: 'claimed', assignee: 'rita' }), rita)).toBeNull();
	});

	it('a note is offered on every item, resolved or held by someone else, to whoever may change items', () => {
		for (const over of [{}, { state: 'claimed', assignee: 'ron' }, { state: 'resolved', assignee: 'ron' }])
			expect(refusal('note', item(over), rita)).toBeNull();
		expect(refusal('note', item(), { username: 'eve', role: 'executive', canChangeItems: false })).toBe(
			'Your role (executive) can read the work list but not change items.'
		);
	});

	it('a read-only role is told so; a customer without a name is named by id', () => {
		expect(refusal('claim', item(), { username: 'eve', role: 'analyst', canChangeItems: false })).toMatch(
			/analyst.*not change/
		);
		expect(refusal('claim', item({ customer_name: null, state: 'resolved' }), rita)).toBe(
			'The item for c-17 is already resolved.'
		);
	});
});

describe('messages', () => {
	it("a conflict names the customer, not the item's uuid", () => {
		const id = item().id;
		const answer = {
			ok: false,
			status: 409,
			data: { error: `work item ${id} is held by ron`, holder: 'ron' }
		};
		const text = failureText('claim', { id, customer: 'Ann Lee' }, answer);
		expect(text).toBe('Could not claim Ann Lee: the item is held by ron.');
		expect(text).not.toContain(id);
	});

	it('an unreachable server says so', () => {
		const answer = { ok: false, status: 0, data: { error: 'cannot reach the server; nothing was changed' } };
		expect(failureText('resolve', { id: 'x', customer: 'Ann Lee' }, answer)).toBe(
			'Could not resolve Ann Lee: cannot reach the server; nothing was changed.'
		);
	});

	it('success names the customer', () => {
		expect(successText('claim', 'Ann Lee')).toBe('Claimed the item for Ann Lee.');
		expect(successText('note', 'Ann Lee')).toBe('Added a note to the item for Ann Lee.');
		expect(successText('handover', 'Ann Lee', 'bob')).toBe('Handed over the item for Ann Lee to bob.');
		expect(successText('handover', 'Ann Lee', 'bob', true)).toBe('Assigned the item for Ann Lee to bob.');
		expect(successText('takeover', 'Ann Lee')).toBe('Took over the item for Ann Lee.');
	});

	it('a refused note says what was tried and which field is wrong', () => {
		const answer = {
			ok: false,
			status: 422,
			data: { error: 'note must not be empty', errors: [{ field: 'note', message: 'note must not be empty' }] }
		};
		expect(failureText('note', { id: 'x', customer: 'Ann Lee' }, answer)).toBe(
			'Could not add a note for Ann Lee: note must not be empty.'
		);
	});
});

describe('a row as a screen reader names it', () => {
	it('says who, why, where the item stands and how old it is', () => {
		expect(rowName(item(), 'Tolerance crossed', 'opened 3 h ago')).toBe(
			'Ann Lee, Tolerance crossed, open, opened 3 h ago'
		);
		expect(rowName(item({ state: 'claimed', assignee: 'rita', customer_name: null }), 'Churn risk', 'opened 2 days ago')).toBe(
			'c-17, Churn risk, claimed by rita, opened 2 days ago'
		);
	});
});
