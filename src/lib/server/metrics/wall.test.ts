import { describe, expect, it } from 'vitest';
import type { Db } from '../db';
import type { Principal } from '../../shared/auth-types';
import { BOARDS, findBoard } from './boards';
import { loadWall, wallAccess } from './wall';

const user: Principal = { kind: 'user', userId: 'u1', username: 'ann', role: 'executive', sessionId: 's1' };
const display = (board: string): Principal => ({ kind: 'display', tokenId: 't1', board });
// An unknown board is answered before the database is touched.
const noDb = null as unknown as Db;

describe('wall access', () => {
	it('tells a signed-in user which boards exist, and a bare wall link only that the board is unknown', async () => {
		const names = BOARDS.map((b) => b.name);
		expect(await loadWall(noDb, 'lobby', user)).toEqual({
			ok: false,
			error: 'unknown-board',
			message: `There is no board called “lobby”. The boards are ${names.join(', ')}.`
		});
		expect(await loadWall(noDb, 'lobby', display(names[0]))).toMatchObject({ message: 'There is no board called “lobby”.' });
		expect(await loadWall(noDb, 'lobby', null)).toMatchObject({ message: 'There is no board called “lobby”.' });
	});

	it('opens a display token its own board and its playlist only; users any board; API keys none', () => {
		// The board with the shortest playlist, so some board is outside it.
		const own = [...BOARDS].sort((a, b) => a.playlist.length - b.playlist.length)[0];
		const other = BOARDS.find((b) => b.name !== own.name && !own.playlist.includes(b.name))!;
		expect(other).toBeDefined();
		expect(wallAccess(display(own.name), own)).toBeNull();
		for (const name of own.playlist) expect(wallAccess(display(own.name), findBoard(name)!)).toBeNull();
		expect(wallAccess(display(own.name), other)).toMatchObject({ error: 'wrong-board' });
		expect(wallAccess(user, other)).toBeNull();
		expect(wallAccess({ kind: 'api-key', keyId: 'k', name: 'n', scope: 'ingest' }, own)).toMatchObject({ error: 'not-allowed' });
		expect(wallAccess(null, own)).toMatchObject({ error: 'no-token' });
	});
});
