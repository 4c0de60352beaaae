import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { tempDb, type TempDb } from '../../../../tests/helpers/temp-db';
import { appendEvents, insertCustomers } from '../../../../tests/fixtures/alerts-db';
import { aCustomer, aStoredEvent } from '../../../../tests/fixtures/alerts';
import type { Principal } from '../../shared/auth-types';
import { BUILTIN_BOARDS, findBuiltinBoard } from './boards';
import { createBoard, deleteBoard } from './board-edits';
import { rollupApplier } from './rollup-applier';
import { loadWall, playlistOf, wallAccess } from './wall';

const user: Principal = { kind: 'user', userId: 'u1', username: 'ann', role: 'executive', sessionId: 's1' };
const display = (board: string): Principal => ({ kind: 'display', tokenId: 't1', board });

let t: TempDb;
beforeAll(async () => {
	t = await tempDb();
});
afterAll(async () => {
	await t?.cleanup();
});

describe('wall access', () => {
	it('tells a signed-in user which boards exist, and a bare wall link only that the board is unknown', async () => {
		const names = BUILTIN_BOARDS.map((b) => b.name);
		expect(await loadWall(t.db, 'lobby', user, false)).toEqual({
			ok: false,
			error: 'unknown-board',
			message: `There is no board called “lobby”. The boards are ${names.join(', ')}.`
		});
		expect(await loadWall(t.db, 'lobby', display(names[0]), true)).toMatchObject({ message: 'There is no board called “lobby”.' });
		expect(await loadWall(t.db, 'lobby', null, false)).toMatchObject({ message: 'There is no board called “lobby”.' });
	});

	it('opens a display token its own board and its playlist only; users any board; API keys none', async () => {
		// The board with the shortest playlist, so some board is outside it.
		const own = [...BUILTIN_BOARDS].sort((a, b) => a.playlist.length - b.playlist.length)[0];
		const other = BUILTIN_BOARDS.find((b) => b.name !== own.name && !own.playlist.includes(b.name))!;
		expect(other).toBeDefined();
		expect(await wallAccess(t.db, display(own.name), own, true)).toBeNull();
		for (const name of own.playlist) expect(await wallAccess(t.db, display(own.name), findBuiltinBoard(name)!, true)).toBeNull();
		expect(await wallAccess(t.db, display(own.name), other, true)).toMatchObject({ error: 'wrong-board' });
		expect(await wallAccess(t.db, user, other, true)).toBeNull();
		expect(await wallAccess(t.db, { kind: 'api-key', keyId: 'k', name: 'n', scope: 'ingest' }, own, true)).toMatchObject({ error: 'not-allowed' });
		expect(await wallAccess(t.db, null, own, true)).toMatchObject({ error: 'bad-token', message: 'This display token is invalid or has been revoked.' });
		// A bare address never had a token to revoke: it is told how a wall is opened.
		expect(await wallAccess(t.db, null, own, false)).toMatchObject({ error: 'no-token', message: expect.stringMatching(/display link.*signed-in user/) });
	});
});

describe('custom boards on a wall', () => {
	it('shows a custom board with its own tiles, starting its round with itself, skipping boards deleted since', async () => {
		const vip = { name: 'vip', title: 'VIP', window: '7d', tiles: ['nps', 'csat'], playlist: ['support', 'store', 'vip'] };
		expect((await createBoard(t.db, { name: 'store', title: 'Store', window: '24h', tiles: ['active_customers'] }, 'ann')).ok).toBe(true);
		expect((await createBoard(t.db, vip, 'ann')).ok).toBe(true);
		const r = await loadWall(t.db, 'vip', display('vip'), true);
		if (!r.ok) throw new Error(r.message);
		expect(r.value.board).toMatchObject({ name: 'vip', window: '7d', tiles: ['nps', 'csat'] });
		expect(r.value.playlist.map((b) => b.name)).toEqual(['vip', 'support', 'store']);
		expect(r.value.sets.vip.tiles.map((x) => x.id).sort()).toEqual(['csat', 'nps']);
		expect(r.value.sets.vip.window).toBe('7d');
		// The token of vip opens the boards of vip's playlist, and no other.
		expect(await wallAccess(t.db, display('vip'), findBuiltinBoard('support')!, true)).toBeNull();
		expect(await wallAccess(t.db, display('vip'), findBuiltinBoard('main')!, true)).toMatchObject({ error: 'wrong-board' });

		expect((await deleteBoard(t.db, 'store', 'ann')).ok).toBe(true);
		const after = await loadWall(t.db, 'vip', display('vip'), true);
		expect(after.ok && after.value.playlist.map((b) => b.name)).toEqual(['vip', 'support']);
	});

	it('puts a board its playlist does not name in front of it', async () => {
		const b = { ...findBuiltinBoard('support')!, name: 'desk', playlist: ['retention', 'main'] };
		expect((await playlistOf(t.db, b)).map((x) => x.name)).toEqual(['desk', 'retention', 'main']);
		expect((await playlistOf(t.db, findBuiltinBoard('main')!)).map((x) => x.name)).toEqual(['main', 'support', 'retention']);
	});
});

describe('the retention board on a wall', () => {
	it('draws a trend on its distinct-customer tiles from trailing 30-day windows, ending at the figure shown', async () => {
		const day = 86_400_000;
		const ago = (d: number) => new Date(Date.now() - d * day);
		await insertCustomers(t.db, [aCustomer().withId('r1').build(), aCustomer().withId('r2').build()]);
		// r1 active 40 and 3 days ago, r2 buying 10 days ago: one active customer in the older 30-day windows, two now.
		await appendEvents(
			t.db,
			[
				aStoredEvent().forCustomer('r1').at(ago(40)).build(),
				aStoredEvent().forCustomer('r1').at(ago(3)).build(),
				aStoredEvent().forCustomer('r2').withType('purchase').withValue(20).at(ago(10)).build()
			],
			[rollupApplier]
		);
		// A first read of the trailing points holds a load for at most a quarter of a second; a later load has them.
		const load = async () => {
			const r = await loadWall(t.db, 'retention', user, false);
			if (!r.ok) throw new Error(r.message);
			return Object.fromEntries(r.value.sets.retention.tiles.map((x) => [x.id, x]));
		};
		const ids = ['churn_rate', 'repeat_purchase_rate', 'avg_relationship_days', 'active_customers'];
		await load();
		const tiles = await vi.waitFor(
			async () => {
				const got = await load();
				for (const id of ids) expect(got[id].sparkline, id).toHaveLength(30);
				return got;
			},
			{ timeout: 10_000, interval: 100 }
		);
		for (const id of ids) expect(tiles[id].sparkline.at(-1), id).toBe(tiles[id].value);
		expect(tiles.active_customers.value).toBe(2);
		const active = tiles.active_customers.sparkline as number[];
		expect([Math.min(...active), Math.max(...active)]).toEqual([1, 2]);
		// No churn scores, so no score history: the at-risk tiles have no line (risk-history.test.ts draws one).
		expect(tiles.at_risk_customers.sparkline).toEqual([]);
	});
});
