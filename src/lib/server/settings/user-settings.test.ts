import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDb, type TempDb } from '../../../../tests/helpers/temp-db';
import { getUserSettings, saveUserSettings } from './user-settings';
import { displayZone } from './display-zone';

let t: TempDb;
beforeEach(async () => {
	t = await tempDb();
});
afterEach(async () => {
	await t.cleanup();
});

describe('user settings: time zone', () => {
	it('is the browser’s zone (null) until chosen, then the canonical name chosen, per user', async () => {
		expect(await getUserSettings(t.db, 'u1')).toEqual({ time_zone: null, updated_at: null });
		const at = Date.UTC(2026, 11, 5, 9, 41);
		expect(await saveUserSettings(t.db, 'u1', { time_zone: 'us/eastern' }, at)).toEqual({ ok: true, value: { time_zone: 'America/New_York', updated_at: '2026-12-05T09:41:00.000Z' } });
		expect(await getUserSettings(t.db, 'u1')).toEqual({ time_zone: 'America/New_York', updated_at: '2026-12-05T09:41:00.000Z' });
		expect((await getUserSettings(t.db, 'u2')).time_zone).toBeNull();
		expect((await saveUserSettings(t.db, 'u1', { time_zone: 'UTC' })).ok).toBe(true);
		expect((await getUserSettings(t.db, 'u1')).time_zone).toBe('UTC');
		expect((await saveUserSettings(t.db, 'u1', { time_zone: null })).ok).toBe(true);
		expect((await getUserSettings(t.db, 'u1')).time_zone).toBeNull();
	});

	it('refuses what is not a zone, naming the field, and keeps the setting', async () => {
		await saveUserSettings(t.db, 'u1', { time_zone: 'Europe/Berlin' });
		expect(await saveUserSettings(t.db, 'u1', { time_zone: 'Mars/Olympus_Mons' })).toEqual({
			ok: false,
			errors: [{ field: 'time_zone', message: expect.stringMatching(/^time_zone "Mars\/Olympus_Mons" is not a known time zone: use an IANA name/) }]
		});
		expect(await saveUserSettings(t.db, 'u1', { time_zone: 5 })).toMatchObject({ ok: false, errors: [{ field: 'time_zone' }] });
		expect(await saveUserSettings(t.db, 'u1', {})).toMatchObject({ ok: false, errors: [{ field: 'time_zone', message: expect.stringMatching(/required/) }] });
		expect(await saveUserSettings(t.db, 'u1', { time_zone: 'UTC', theme: 'dark' })).toMatchObject({ ok: false, errors: [{ field: 'theme' }] });
		expect(await saveUserSettings(t.db, 'u1', null)).toMatchObject({ ok: false, errors: [{ field: 'body' }] });
		expect((await getUserSettings(t.db, 'u1')).time_zone).toBe('Europe/Berlin');
	});
});

describe('the zone a page is rendered in on the server', () => {
	it('is the user’s setting, else the browser’s from its cookie, else UTC; junk cookies are ignored', () => {
		expect(displayZone('Asia/Tokyo', 'Europe/Berlin', 1)).toEqual({ zone: 'Asia/Tokyo', setting: 'Asia/Tokyo', browser: 'Europe/Berlin', now: 1 });
		expect(displayZone(null, 'Europe/Berlin', 1)).toMatchObject({ zone: 'Europe/Berlin', setting: null });
		expect(displayZone(null, undefined, 1)).toMatchObject({ zone: 'UTC', browser: null });
		expect(displayZone(null, '<script>', 1)).toMatchObject({ zone: 'UTC', browser: null });
	});
});
