import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDb, type TempDb } from '../../../../tests/helpers/temp-db';
import { aUser } from '../../../../tests/fixtures/users';
import { ACTIVITY_INTERVAL_MS, createSession, invalidateSession, validateSessionToken } from './session';
import { setUserDisabled } from './users';

const DAY = 86_400_000;
const LIFE = 30 * DAY;
const t0 = Date.UTC(2026, 0, 1);

describe('sessions', () => {
	let t: TempDb;
	beforeEach(async () => (t = await tempDb()));
	afterEach(() => t.cleanup());

	it('store only a hash and validate the token they hand out', async () => {
		const { user } = await aUser().withRole('retention').create(t.db);
		const { token, session } = await createSession(t.db, user.id, t0, LIFE);
		const stored = await t.db.one<{ h: string }>('SELECT hex(secret_hash) AS h FROM sessions WHERE id = $1', [session.id]);
		expect(stored!.h).toHaveLength(64);
		expect(token.toUpperCase()).not.toContain(stored!.h);
		const v = await validateSessionToken(t.db, token, t0 + 1000, LIFE);
		expect(v?.user).toEqual({ id: user.id, username: user.username, role: 'retention' });
		expect(v?.refreshed).toBe(false);
	});

	it('refuse a right id with a wrong secret', async () => {
		const { user } = await aUser().create(t.db);
		const { token } = await createSession(t.db, user.id, t0, LIFE);
		const [id] = token.split('.');
		expect(await validateSessionToken(t.db, `${id}.${'a'.repeat(32)}`, t0, LIFE)).toBeNull();
	});

	it('slide: use pushes expiry forward, idleness past the lifetime ends it', async () => {
		const { user } = await aUser().create(t.db);
		const { token } = await createSession(t.db, user.id, t0, LIFE);
		const later = t0 + 20 * DAY;
		const v = await validateSessionToken(t.db, token, later, LIFE);
		expect(v?.refreshed).toBe(true);
		expect(v?.session.expiresAt.getTime()).toBe(later + LIFE);
		// Within the activity interval nothing is written again.
		expect((await validateSessionToken(t.db, token, later + ACTIVITY_INTERVAL_MS - 1, LIFE))?.refreshed).toBe(false);
		// Still valid 29 days after the last use, but not 30.
		expect(await validateSessionToken(t.db, token, later + LIFE - 1, LIFE)).not.toBeNull();
		expect(await validateSessionToken(t.db, token, later + 2 * LIFE, LIFE)).toBeNull();
		expect(await t.db.one('SELECT id FROM sessions')).toBeUndefined();
	});

	it('end on sign-out and when the user is disabled', async () => {
		const { user } = await aUser().create(t.db);
		const a = await createSession(t.db, user.id, t0, LIFE);
		const b = await createSession(t.db, user.id, t0, LIFE);
		await invalidateSession(t.db, a.session.id);
		expect(await validateSessionToken(t.db, a.token, t0, LIFE)).toBeNull();
		expect(await validateSessionToken(t.db, b.token, t0, LIFE)).not.toBeNull();
		expect((await setUserDisabled(t.db, user.id, true)).ok).toBe(true);
		expect(await validateSessionToken(t.db, b.token, t0, LIFE)).toBeNull();
	});
});
