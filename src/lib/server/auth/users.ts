// User accounts: create, list, change role, disable/enable, reset password. Used by the settings page and the CLI.
import { credentialsChanged } from './credential-epoch';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Db } from '../db';
import { ROLES, type Role } from '../../shared/auth-types';
import { checkPassword, generatePassword, hashPassword } from './password';
import { generateRandomId } from './secret-token';
import { invalidateUserSessions } from './session';
import { recordAudit } from './audit';
import { RESERVED_ACTORS, SYSTEM_ACTOR } from './actors';

export interface UserInfo {
	id: string;
	username: string;
	role: Role;
	disabled: boolean;
	createdAt: string;
}

/** A user row including its password hash: server-internal, never sent to a browser. */
export interface UserRecord extends UserInfo {
	passwordHash: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: string };

const USERNAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;

export function isRole(x: unknown): x is Role {
	return typeof x === 'string' && (ROLES as readonly string[]).includes(x);
}

/** Usernames are case-insensitive: stored lower case. */
export function normalizeUsername(raw: string): string {
	return raw.trim().toLowerCase();
}

export function checkUsername(username: string): string | null {
	if (!USERNAME.test(username))
		return `username "${username}" is not valid: use 1–64 letters, digits, ".", "_" or "-", starting with a letter or digit`;
	if (RESERVED_ACTORS.includes(username))
		return `username "${username}" is reserved: the audit log and work-item history use it for the software's own actions`;
	return null;
}

interface UserRow {
	id: string;
	username: string;
	password_hash: string;
	role: Role;
	disabled: boolean;
	created_at_ms: number;
}

const SELECT = `SELECT id, username, password_hash, role, disabled, epoch_ms(created_at) AS created_at_ms FROM users`;

function toRecord(r: UserRow): UserRecord {
	return {
		id: r.id,
		username: r.username,
		role: r.role,
		disabled: r.disabled,
		createdAt: new Date(r.created_at_ms).toISOString(),
		passwordHash: r.password_hash
	};
}

function toInfo(r: UserRecord): UserInfo {
	return { id: r.id, username: r.username, role: r.role, disabled: r.disabled, createdAt: r.createdAt };
}

export async function countUsers(db: Db): Promise<number> {
	const r = await db.one<{ n: number }>('SELECT count(*) AS n FROM users');
	return r?.n ?? 0;
}

export async function findUserByUsername(db: Db, username: string): Promise<UserRecord | null> {
	const r = await db.one<UserRow>(`${SELECT} WHERE username = $1`, [normalizeUsername(username)]);
	return r ? toRecord(r) : null;
}

export async function findUserById(db: Db, id: string): Promise<UserRecord | null> {
	const r = await db.one<UserRow>(`${SELECT} WHERE id = $1`, [id]);
	return r ? toRecord(r) : null;
}

export async function listUsers(db: Db): Promise<UserInfo[]> {
	const rows = await db.all<UserRow>(`${SELECT} ORDER BY username`);
	return rows.map((r) => toInfo(toRecord(r)));
}

export interface NewUser {
	username: string;
	role: string;
	/** Omitted: a random password is generated and returned once. */
	password?: string;
	/** Who does it, for the audit log (a username, `cli`, `system`). */
	actor?: string;
}

/** The input createUser refuses and why (Settings shows the message at that field). */
export type NewUserField = 'username' | 'role' | 'password';

function newUserError(username: string, role: string): { error: string; field: NewUserField } | null {
	const bad = checkUsername(username);
	if (bad) return { error: bad, field: 'username' };
	return isRole(role) ? null : { error: `role "${role}" is not one of ${ROLES.join(', ')}`, field: 'role' };
}

/**
 * What createUser would refuse before it needs a password (name, role, a user of that name), so the CLI
 * says so before asking for one. createUser checks again: another process may create the name meanwhile.
 * `db` null: the database does not exist yet, so no user has the name.
 */
export async function checkNewUser(db: Db | null, username: string, role: string): Promise<string | null> {
	const name = normalizeUsername(username);
	const bad = newUserError(name, role);
	if (bad) return bad.error;
	return db && (await findUserByUsername(db, name)) ? `a user called "${name}" already exists` : null;
}

/** Creates a user. Returns the password in clear only when it was generated here; `field`: the input at fault. */
export async function createUser(
	db: Db,
	input: NewUser
): Promise<Result<{ user: UserInfo; generatedPassword: string | null }> & { field?: NewUserField }> {
	const username = normalizeUsername(input.username);
	const bad = newUserError(username, input.role);
	if (bad) return { ok: false, ...bad };
	const generated = input.password === undefined ? generatePassword() : null;
	const password = input.password ?? generated!;
	const weak = checkPassword(password);
	if (weak) return { ok: false, error: weak, field: 'password' };
	const passwordHash = await hashPassword(password);
	const id = generateRandomId();
	const created = await db.write(async (conn) => {
		const exists = await conn.runAndReadAll('SELECT 1 FROM users WHERE username = $1', [username]);
		if (exists.currentRowCount > 0) return false;
		await conn.run('INSERT INTO users (id, username, password_hash, role) VALUES ($1, $2, $3, $4)', [
			id,
			username,
			passwordHash,
			input.role as Role
		]);
		await recordAudit(conn, { actor: input.actor ?? SYSTEM_ACTOR, action: 'user.create', subject: username, detail: { role: input.role } });
		return true;
	});
	if (!created) return { ok: false, error: `a user called "${username}" already exists`, field: 'username' };
	const user = await findUserById(db, id);
	return { ok: true, value: { user: toInfo(user!), generatedPassword: generated } };
}

async function requireUserRow(db: Db, id: string): Promise<Result<UserRecord>> {
	const u = await findUserById(db, id);
	return u ? { ok: true, value: u } : { ok: false, error: `no user with id "${id}"` };
}

/**
 * Whether taking user `id` out of the enabled admins leaves none (nobody could manage users any more).
 * Run inside the write that makes the change: checked before the write lock, two admins demoting or
 * disabling each other at the same moment both passed and left no admin.
 */
async function isLastAdmin(conn: DuckDBConnection, id: string): Promise<boolean> {
	const r = await conn.runAndReadAll(
		`SELECT count(*) FILTER (WHERE id = $1) AS self, count(*) FILTER (WHERE id <> $1) AS others
		FROM users WHERE role = 'admin' AND NOT disabled`,
		[id]
	);
	const [self, others] = r.getRows()[0].map(Number);
	return self > 0 && others === 0;
}

export async function setUserRole(db: Db, id: string, role: string, actor = SYSTEM_ACTOR): Promise<Result<UserInfo>> {
	if (!isRole(role)) return { ok: false, error: `role "${role}" is not one of ${ROLES.join(', ')}` };
	const u = await requireUserRow(db, id);
	if (!u.ok) return u;
	const changed = await db.write(async (conn) => {
		if (role !== 'admin' && (await isLastAdmin(conn, id))) return false;
		await conn.run('UPDATE users SET role = $1 WHERE id = $2', [role, id]);
		await recordAudit(conn, { actor, action: 'user.role', subject: u.value.username, detail: { from: u.value.role, to: role } });
		return true;
	});
	if (!changed) return { ok: false, error: `"${u.value.username}" is the last enabled admin; make another user admin first` };
	credentialsChanged();
	return { ok: true, value: { ...toInfo(u.value), role } };
}

/** Disabling also ends every session of the user at once. */
export async function setUserDisabled(db: Db, id: string, disabled: boolean, actor = SYSTEM_ACTOR): Promise<Result<UserInfo>> {
	const u = await requireUserRow(db, id);
	if (!u.ok) return u;
	const changed = await db.write(async (conn) => {
		if (disabled && (await isLastAdmin(conn, id))) return false;
		await conn.run('UPDATE users SET disabled = $1 WHERE id = $2', [disabled, id]);
		await recordAudit(conn, { actor, action: disabled ? 'user.disable' : 'user.enable', subject: u.value.username });
		return true;
	});
	if (!changed) return { ok: false, error: `"${u.value.username}" is the last enabled admin and cannot be disabled` };
	if (disabled) await invalidateUserSessions(db, id);
	credentialsChanged();
	return { ok: true, value: { ...toInfo(u.value), disabled } };
}

/** Sets a new password (random when omitted, returned once) and signs the user out everywhere. */
export async function resetPassword(db: Db, id: string, password?: string, actor = SYSTEM_ACTOR): Promise<Result<{ user: UserInfo; password: string }>> {
	const u = await requireUserRow(db, id);
	if (!u.ok) return u;
	const next = password ?? generatePassword();
	const weak = checkPassword(next);
	if (weak) return { ok: false, error: weak };
	const passwordHash = await hashPassword(next);
	await db.write(async (conn) => {
		await conn.run('UPDATE users SET password_hash = $1 WHERE id = $2', [passwordHash, id]);
		await recordAudit(conn, { actor, action: 'user.password-reset', subject: u.value.username });
	});
	await invalidateUserSessions(db, id);
	return { ok: true, value: { user: toInfo(u.value), password: next } };
}
