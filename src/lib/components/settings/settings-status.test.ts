import { describe, expect, it } from 'vitest';
import { fieldErrorOf, lineStatus, reportStatus, statusOfAnswer, typedValues, type SettingsStatuses } from './settings-status';

const ok = (text: string) => ({ ok: true, text });
const bad = (text: string) => ({ ok: false, text });

describe('reportStatus', () => {
	it("a new action's message replaces the previous one, in its section and in every other", () => {
		let all: SettingsStatuses = {};
		all = reportStatus(all, 'users', ok('Added sam (analyst).'));
		all = reportStatus(all, 'keys', ok('Created API key “shop”.'));
		expect(all).toEqual({ keys: ok('Created API key “shop”.') });
		all = reportStatus(all, 'keys', ok('Revoked API key “old”.'));
		expect(all).toEqual({ keys: ok('Revoked API key “old”.') });
	});

	it('an error stays until an action in its own section replaces it', () => {
		let all: SettingsStatuses = reportStatus({}, 'users', bad('username sam is taken'));
		all = reportStatus(all, 'keys', ok('Created API key “shop”.'));
		all = reportStatus(all, 'boards', ok('Created the board “store”.'));
		expect(all).toEqual({ users: bad('username sam is taken'), boards: ok('Created the board “store”.') });
		all = reportStatus(all, 'users', ok('Added sam2 (analyst).'));
		expect(all).toEqual({ users: ok('Added sam2 (analyst).') });
	});

	it('an action that says nothing clears the successes and leaves its section empty', () => {
		const all = reportStatus({ keys: ok('Created'), tolerance: bad('Not saved') }, 'boards', null);
		expect(all).toEqual({ tolerance: bad('Not saved') });
	});
});

describe('statusOfAnswer', () => {
	it("reads a form action's answer, keeping its secret and data", () => {
		const data = {
			section: 'keys',
			ok: true,
			message: 'Created API key “shop”.',
			secret: { label: 'API key', value: 's3cr3t' }
		};
		expect(statusOfAnswer(data)).toEqual({
			section: 'keys',
			status: {
				ok: true,
				text: 'Created API key “shop”.',
				secret: { label: 'API key', value: 's3cr3t' },
				data
			}
		});
		expect(
			statusOfAnswer({ section: 'tolerance', ok: false, message: 'Not saved: fix the marked fields.' })
				?.status.ok
		).toBe(false);
		expect(statusOfAnswer(null)).toBeNull();
		expect(statusOfAnswer({ unrelated: true })).toBeNull();
	});
});

describe('fieldErrorOf and lineStatus', () => {
	const refused = statusOfAnswer({ section: 'users', ok: false, message: 'a user called "ana" already exists', form: 'addUser', field: 'username' })!.status;

	it('a refusal tied to an add form\'s field is shown there, as a sentence, and not on the section\'s line', () => {
		expect(fieldErrorOf(refused, 'addUser')).toEqual({ field: 'username', text: 'A user called "ana" already exists' });
		expect(fieldErrorOf(refused, 'createKey')).toBeNull();
		expect(lineStatus(refused)).toBeUndefined();
	});

	it('other answers stay on the line: successes, and refusals of a row (the last admin)', () => {
		const row = statusOfAnswer({ section: 'users', ok: false, message: '"ada" is the last enabled admin' })!.status;
		expect(fieldErrorOf(row, 'addUser')).toBeNull();
		expect(lineStatus(row)).toBe(row);
		const added = statusOfAnswer({ section: 'users', ok: true, message: 'Added sam (analyst).', form: 'addUser', field: 'username' })!.status;
		expect(fieldErrorOf(added, 'addUser')).toBeNull();
		expect(lineStatus(added)).toBe(added);
	});
});

describe('typedValues', () => {
	it('gives a refusal’s typed values to its section’s add form', () => {
		const refused = { section: 'keys', ok: false, message: 'name is 101 characters long', form: 'createKey', field: 'name', values: { name: 'k', scope: 'analyst' } };
		expect(typedValues(refused)).toEqual({ keys: { name: 'k', scope: 'analyst' } });
	});

	it('gives nothing after a success, an answer without values, or no answer', () => {
		expect(typedValues({ section: 'users', ok: true, message: 'Added sam', values: { username: 'sam' } })).toEqual({});
		expect(typedValues({ section: 'users', ok: false, message: 'the last admin' })).toEqual({});
		expect(typedValues(null)).toEqual({});
	});
});
