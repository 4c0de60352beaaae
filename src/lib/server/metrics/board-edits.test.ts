import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDb, type TempDb } from '../../../../tests/helpers/temp-db';
import { listAudit } from '../auth/audit';
import { createDisplayToken, revokeDisplayToken } from '../auth/display-tokens';
import { createBoard, deleteBoard, updateBoard } from './board-edits';
import { findBoard, listBoards } from './board-store';

let t: TempDb;
beforeEach(async () => {
	t = await tempDb();
});
afterEach(async () => {
	await t.cleanup();
});

const store = { name: 'store', title: 'Store floor', window: '24h', tiles: ['csat', 'complaint_rate'], columns: 2, rotate_seconds: 45, playlist: ['store', 'main'] };

describe('wall boards as data', () => {
	it('lists the built-ins first (marked), then boards made by administrators, with who and when', async () => {
		const made = await createBoard(t.db, store, 'ada', Date.UTC(2026, 0, 2));
		expect(made).toMatchObject({ ok: true, value: { name: 'store', builtin: false, tiles: ['csat', 'complaint_rate'], rotateSeconds: 45, createdBy: 'ada', createdAt: '2026-01-02T00:00:00.000Z' } });
		const all = await listBoards(t.db);
		expect(all.map((b) => [b.name, b.builtin])).toEqual([
			['main', true],
			['support', true],
			['retention', true],
			['store', false]
		]);
		expect(await findBoard(t.db, 'main')).toMatchObject({ builtin: true, window: '1h', playlist: ['main', 'support', 'retention'] });
	});

	it('refuses a taken name (built-in or not) with 409 and bad fields with 422', async () => {
		expect(await createBoard(t.db, { ...store, name: 'main', playlist: [] }, 'ada')).toMatchObject({ ok: false, status: 409, error: expect.stringMatching(/built-in/) });
		expect((await createBoard(t.db, store, 'ada')).ok).toBe(true);
		expect(await createBoard(t.db, store, 'ada')).toMatchObject({ ok: false, status: 409, error: 'there is already a board called "store"' });
		expect(await createBoard(t.db, { ...store, name: 'x', tiles: [] }, 'ada')).toMatchObject({ ok: false, status: 422, errors: [{ field: 'tiles' }] });
	});

	it('a deleted board leaves every rotation, so the boards that named it can still be edited', async () => {
		expect((await createBoard(t.db, { ...store, name: 'vip2', playlist: [] }, 'ada')).ok).toBe(true);
		expect((await createBoard(t.db, { ...store, name: 'vip', playlist: ['vip', 'vip2', 'main'] }, 'ada')).ok).toBe(true);
		expect((await deleteBoard(t.db, 'vip2', 'ada')).ok).toBe(true);
		expect((await findBoard(t.db, 'vip'))?.playlist).toEqual(['vip', 'main']);
		expect(await updateBoard(t.db, 'vip', { title: 'VIP floor' }, 'ada')).toMatchObject({ ok: true, value: { title: 'VIP floor', playlist: ['vip', 'main'] } });
	});

	it('changes a custom board, never a built-in', async () => {
		await createBoard(t.db, store, 'ada');
		const r = await updateBoard(t.db, 'store', { tiles: ['nps'], window: '7d' }, 'bob', Date.UTC(2026, 0, 3));
		expect(r).toMatchObject({ ok: true, value: { tiles: ['nps'], window: '7d', title: 'Store floor', createdBy: 'ada', updatedBy: 'bob', updatedAt: '2026-01-03T00:00:00.000Z' } });
		expect(await updateBoard(t.db, 'main', { title: 'Mine' }, 'bob')).toEqual({ ok: false, status: 409, error: 'built-in boards cannot be changed; copy it' });
		expect(await updateBoard(t.db, 'nope', { title: 'x' }, 'bob')).toMatchObject({ ok: false, status: 404 });
		expect(await deleteBoard(t.db, 'support', 'bob')).toMatchObject({ ok: false, status: 409 });
	});

	it('refuses to delete a board while a working display token opens it, naming them; a revoked one does not count', async () => {
		await createBoard(t.db, store, 'ada');
		const tok = await createDisplayToken(t.db, { board: 'store', name: 'till TV', createdBy: 'ada' });
		expect(tok.ok).toBe(true);
		if (!tok.ok) return;
		expect(await deleteBoard(t.db, 'store', 'ada')).toEqual({
			ok: false,
			status: 409,
			error: '1 display token still opens the board "store" (till TV); revoke it first',
			tokens: ['till TV']
		});
		await revokeDisplayToken(t.db, tok.value.displayToken.id, 'ada');
		expect(await deleteBoard(t.db, 'store', 'ada')).toMatchObject({ ok: true, value: { name: 'store' } });
		expect(await findBoard(t.db, 'store')).toBeUndefined();
		// A token for a board that is gone cannot be made.
		expect(await createDisplayToken(t.db, { board: 'store', createdBy: 'ada' })).toMatchObject({ ok: false, error: expect.stringMatching(/no board called "store"/) });
	});

	it('audits create, update and delete', async () => {
		await createBoard(t.db, store, 'ada');
		await updateBoard(t.db, 'store', { columns: 4 }, 'bob');
		await deleteBoard(t.db, 'store', 'cy');
		const a = (await listAudit(t.db, 10)).filter((x) => x.action.startsWith('wall-board.'));
		expect(a.map((x) => [x.action, x.actor, x.subject])).toEqual([
			['wall-board.delete', 'cy', 'store'],
			['wall-board.update', 'bob', 'store'],
			['wall-board.create', 'ada', 'store']
		]);
		expect(a[1].detail).toMatchObject({ columns: 4, tiles: 'csat,complaint_rate' });
	});
});
