// Release and hand-over bodies, and who an item may be handed to: notes as the notes endpoint limits them,
// unknown keys refused by name, and a refusal that names the user and why.
import { describe, expect, it } from 'vitest';
import { assigneeRefusal, parseAssignBody, parseReleaseBody } from './work-item-handover';

describe('parseReleaseBody', () => {
	it('takes no body, {} or a note; a blank note is no note', () => {
		for (const body of [null, undefined, {}, { note: null }, { note: '  \n ' }])
			expect(parseReleaseBody(body), JSON.stringify(body)).toEqual({ ok: true, value: { note: null } });
		expect(parseReleaseBody({ note: ' on holiday ' })).toEqual({ ok: true, value: { note: 'on holiday' } });
	});

	it('refuses unknown keys, a note that is not text or is longer than a note may be', () => {
		expect(parseReleaseBody({ assignee: 'bob' })).toEqual({
			ok: false,
			errors: [{ field: 'assignee', message: 'unknown key "assignee"; this request takes note' }]
		});
		expect(parseReleaseBody({ note: 7 })).toEqual({
			ok: false,
			errors: [{ field: 'note', message: 'note must be text' }]
		});
		expect(parseReleaseBody({ note: 'x'.repeat(2001) })).toEqual({
			ok: false,
			errors: [{ field: 'note', message: 'note is at most 2,000 characters; this one has 2,001' }]
		});
		expect(parseReleaseBody({ note: 'x'.repeat(2000) }).ok).toBe(true);
	});
});

describe('parseAssignBody', () => {
	it('takes an assignee (stored lower case) and an optional note', () => {
		expect(parseAssignBody({ assignee: ' Bob ', note: 'on holiday until Monday' })).toEqual({
			ok: true,
			value: { assignee: 'bob', note: 'on holiday until Monday' }
		});
		expect(parseAssignBody({ assignee: 'bob' })).toEqual({
			ok: true,
			value: { assignee: 'bob', note: null }
		});
	});

	it('names the field of every refusal', () => {
		const refused: [unknown, string, string][] = [
			[null, 'assignee', 'assignee is required'],
			[{}, 'assignee', 'assignee is required'],
			[{ assignee: '  ' }, 'assignee', 'assignee is required'],
			[{ assignee: 3 }, 'assignee', 'assignee must be a username'],
			[
				{ assignee: 'bob', note: 'x'.repeat(2001) },
				'note',
				'note is at most 2,000 characters; this one has 2,001'
			],
			[{ assignee: 'bob', to: 'carol' }, 'to', 'unknown key "to"; this request takes assignee, note']
		];
		for (const [body, field, message] of refused)
			expect(parseAssignBody(body), JSON.stringify(body)).toEqual({
				ok: false,
				errors: [{ field, message }]
			});
	});
});

describe('assigneeRefusal', () => {
	it('an enabled retention user or admin may take an item', () => {
		expect(assigneeRefusal('bob', { username: 'bob', role: 'retention', disabled: false })).toBeNull();
		expect(assigneeRefusal('ada', { username: 'ada', role: 'admin', disabled: false })).toBeNull();
	});

	it('says who cannot, and why', () => {
		expect(assigneeRefusal('zed', undefined)).toBe('no such user "zed"');
		expect(assigneeRefusal('bob', { username: 'bob', role: 'retention', disabled: true })).toBe(
			'user bob is disabled'
		);
		expect(assigneeRefusal('carol', { username: 'carol', role: 'executive', disabled: false })).toBe(
			'user carol (executive) cannot work items'
		);
		expect(assigneeRefusal('ann', { username: 'ann', role: 'analyst', disabled: false })).toBe(
			'user ann (analyst) cannot work items'
		);
	});
});
