// The one rule behind POST /assign and the work list's "Assign…" / "Hand over…".
import { describe, expect, it } from 'vitest';
import { assignVerdict } from './assign-rule';

const rita = { name: 'rita', admin: false };
const ada = { name: 'ada', admin: true };

describe('assignVerdict', () => {
	it('anyone who may change items may assign an open item; it is no takeover', () => {
		for (const actor of [rita, ada])
			expect(assignVerdict({ state: 'open', assignee: null }, actor)).toEqual({
				ok: true,
				open: true,
				takeover: false
			});
	});

	it('the holder may hand over their item, claimed or snoozed', () => {
		for (const state of ['claimed', 'snoozed'])
			expect(assignVerdict({ state, assignee: 'rita' }, rita)).toEqual({
				ok: true,
				open: false,
				takeover: false
			});
	});

	it("someone else's item: refused, except for an admin, for whom it is a takeover", () => {
		expect(assignVerdict({ state: 'claimed', assignee: 'ron' }, rita)).toEqual({
			ok: false,
			why: 'held-by-other'
		});
		expect(assignVerdict({ state: 'claimed', assignee: 'ron' }, ada)).toEqual({
			ok: true,
			open: false,
			takeover: true
		});
	});

	it('a resolved item cannot be given to anyone, by an admin neither', () => {
		for (const actor of [rita, ada])
			for (const assignee of [null, 'rita', 'ron'])
				expect(assignVerdict({ state: 'resolved', assignee }, actor)).toEqual({ ok: false, why: 'resolved' });
	});
});
