import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDb, type TempDb } from '../../../../tests/helpers/temp-db';
import { aUser } from '../../../../tests/fixtures/users';
import { createSession, validateSessionToken } from './session';
import { verifyPassword } from './password';
import { listAudit } from './audit';
import { createUser, findUserByUsername, listUsers, resetPassword, setUserDisabled, setUserRole } from './users';

describe('users', () => {
	let t: TempDb;
	beforeEach(async () => (t = await tempDb()));
	afterEach(() => t.cleanup());

	it('are created with a hashed password, case-insensitive unique names', async () => {
		const r = await createUser(t.db, { username: 'Maria', role: 'retention', password: 'a-good-password' });
		expect(r.ok && r.value.user).toMatchObject({ username: 'maria', role: 'retention', disabled: false });
		expect(r.ok && r.value.generatedPassword).toBeNull();
		const rec = await findUserByUsername(t.db, 'MARIA');
		expect(await verifyPassword(rec!.passwordHash, 'a-good-password')).toBe(true);
		expect(await createUser(t.db, { username: 'maria', role: 'analyst', password: 'another-password' })).toEqual({
			ok: false,
			error: 'a user called "maria" already exists',
			field: 'username'
		});
	});

	it('name what is wrong with bad input and store nothing', async () => {
		expect(await createUser(t.db, { username: 'bob', role: 'boss', password: 'a-good-password' })).toEqual({
			ok: false,
			error: 'role "boss" is not one of admin, analyst, retention, executive',
			field: 'role'
		});
		expect(await createUser(t.db, { username: 'bob smith', role: 'analyst' })).toMatchObject({ ok: false, error: expect.stringContaining('"bob smith" is not valid'), field: 'username' });
		expect(await createUser(t.db, { username: 'bob', role: 'analyst', password: 'short' })).toMatchObject({ ok: false, error: expect.stringContaining('at least 10'), field: 'password' });
		// The software's own actor names: a person called "system" would have their resolutions counted as the alert loop's.
		for (const name of ['system', 'CLI'])
			expect(await createUser(t.db, { username: name, role: 'retention', password: 'a-good-password' })).toEqual({
				ok: false,
				error: `username "${name.toLowerCase()}" is reserved: the audit log and work-item history use it for the software's own actions`,
				field: 'username'
			});
		expect(await listUsers(t.db)).toEqual([]);
	});

	it('get a generated password when none is given', async () => {
		const r = await createUser(t.db, { username: 'gen', role: 'executive' });
		expect(r.ok).toBe(true);
		if (!r.ok) return;
		const rec = await findUserByUsername(t.db, 'gen');
		expect(await verifyPassword(rec!.passwordHash, r.value.generatedPassword!)).toBe(true);
	});

	it('keep at least one enabled admin', async () => {
		const { user: admin } = await aUser().withRole('admin').create(t.db);
		expect(await setUserRole(t.db, admin.id, 'analyst')).toMatchObject({ ok: false, error: expect.stringContaining('last enabled admin') });
		expect(await setUserDisabled(t.db, admin.id, true)).toMatchObject({ ok: false, error: expect.stringContaining('last enabled admin') });
		const { user: second } = await aUser().withRole('admin').create(t.db);
		expect(await setUserRole(t.db, admin.id, 'analyst')).toMatchObject({ ok: true, value: { role: 'analyst' } });
		expect(await setUserDisabled(t.db, second.id, true)).toMatchObject({ ok: false });
	});

	it('keep an admin when the last two demote or disable each other at the same moment', async () => {
		const { user: a } = await aUser().withRole('admin').create(t.db);
		const { user: b } = await aUser().withRole('admin').create(t.db);
		const results = await Promise.all([setUserRole(t.db, a.id, 'analyst'), setUserDisabled(t.db, b.id, true)]);
		expect(results.filter((r) => r.ok)).toHaveLength(1);
		const admins = (await listUsers(t.db)).filter((u) => u.role === 'admin' && !u.disabled);
		expect(admins).toHaveLength(1);
	});

	it('sign out everywhere on a password reset; the new password works, the old does not', async () => {
		const { user, password } = await aUser().create(t.db);
		const s = await createSession(t.db, user.id);
		const r = await resetPassword(t.db, user.id);
		expect(r.ok).toBe(true);
		if (!r.ok) return;
		expect(await validateSessionToken(t.db, s.token)).toBeNull();
		const rec = await findUserByUsername(t.db, user.username);
		expect(await verifyPassword(rec!.passwordHash, r.value.password)).toBe(true);
		expect(await verifyPassword(rec!.passwordHash, password)).toBe(false);
	});

	it('report an unknown id', async () => {
		expect(await setUserRole(t.db, 'nope', 'analyst')).toEqual({ ok: false, error: 'no user with id "nope"' });
	});

	it('record every change in the audit log, without secrets', async () => {
		const r = await createUser(t.db, { username: 'ann', role: 'analyst', password: 'ann-password-1', actor: 'root' });
		if (!r.ok) throw new Error(r.error);
		await aUser().withRole('admin').create(t.db);
		await setUserRole(t.db, r.value.user.id, 'retention', 'root');
		await setUserDisabled(t.db, r.value.user.id, true, 'root');
		const reset = await resetPassword(t.db, r.value.user.id, undefined, 'cli');
		const log = await listAudit(t.db);
		const mine = log.filter((a) => a.subject === 'ann').map((a) => [a.actor, a.action, a.detail]);
		expect(mine).toEqual([
			['cli', 'user.password-reset', {}],
			['root', 'user.disable', {}],
			['root', 'user.role', { from: 'analyst', to: 'retention' }],
			['root', 'user.create', { role: 'analyst' }]
		]);
		const text = JSON.stringify(log);
		expect(text).not.toContain('ann-password-1');
		expect(reset.ok && text.includes(reset.value.password)).toBe(false);
	});
});
