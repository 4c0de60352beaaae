import { describe, expect, it } from 'vitest';
import { parseBoard, parseBoardPatch, type BoardDefinition } from './board-schema';

const BOARDS = ['main', 'support', 'retention', 'store'];
const good = { name: 'vip', title: 'VIP customers', window: '7d', tiles: ['nps', 'csat', 'at_risk_revenue'] };

const fieldsOf = (input: unknown) => {
	const r = parseBoard(input, BOARDS);
	return r.ok ? [] : r.errors.map((e) => e.field);
};

describe('parseBoard', () => {
	it('takes a board with defaults for layout and rotation', () => {
		expect(parseBoard(good, BOARDS)).toEqual({
			ok: true,
			value: { name: 'vip', title: 'VIP customers', window: '7d', tiles: ['nps', 'csat', 'at_risk_revenue'], columns: 3, rotateSeconds: 30, playlist: [] }
		});
		expect(parseBoard({ ...good, title: '  VIP  ', columns: 6, rotate_seconds: 3600, playlist: ['vip', 'main', 'store'] }, BOARDS)).toMatchObject({
			ok: true,
			value: { title: 'VIP', columns: 6, rotateSeconds: 3600, playlist: ['vip', 'main', 'store'] }
		});
	});

	it.each([
		[{ ...good, name: 'VIP wall' }, 'name', /name "VIP wall" is not valid: use 1–64 lower-case letters/],
		[{ ...good, name: undefined }, 'name', /name is required/],
		[{ ...good, name: '' }, 'name', /^name is required: 1–64 lower-case letters/],
		[{ ...good, title: '   ' }, 'title', /title must be 1–80 characters/],
		[{ ...good, title: 'x'.repeat(81) }, 'title', /title must be 1–80 characters/],
		[{ ...good, window: '2h' }, 'window', /window must be one of 15m, 1h, 24h, 7d, 30d/],
		[{ ...good, tiles: [] }, 'tiles', /tiles must list 1 to 12 metric ids/],
		[{ ...good, tiles: ['csat', 'nps', 'fcr', 'ces', 'frt_median', 'frt_p90', 'res_median', 'res_p90', 'churn_rate', 'complaint_rate', 'active_customers', 'new_customers', 'at_risk_customers'] }, 'tiles', /1 to 12/],
		[{ ...good, tiles: ['csat', 'happiness'] }, 'tiles', /unknown metric "happiness"; use metric ids: csat, nps/],
		[{ ...good, tiles: ['csat', 'nps', 'csat'] }, 'tiles', /tiles lists csat more than once/],
		[{ ...good, columns: 0 }, 'columns', /columns must be a whole number from 1 to 6/],
		[{ ...good, columns: 2.5 }, 'columns', /from 1 to 6/],
		[{ ...good, columns: 7 }, 'columns', /from 1 to 6/],
		[{ ...good, rotate_seconds: 9 }, 'rotate_seconds', /rotate_seconds \(seconds on screen\) must be a whole number from 10 to 3,600/],
		[{ ...good, rotate_seconds: 3601 }, 'rotate_seconds', /from 10 to 3,600/],
		[{ ...good, playlist: ['main', 'lobby'] }, 'playlist', /playlist names "lobby", which is not a board/],
		[{ ...good, playlist: ['main', 'main'] }, 'playlist', /playlist names main more than once/],
		[{ ...good, playlist: 'main' }, 'playlist', /playlist must list at most 20 board names/],
		[{ ...good, rotate_secs: 20 }, 'rotate_secs', /unknown key "rotate_secs"/]
	])('refuses %j at %s', (input, field, message) => {
		const r = parseBoard(input, BOARDS);
		expect(r.ok).toBe(false);
		if (r.ok) return;
		expect(r.errors).toContainEqual({ field, message: expect.stringMatching(message) });
	});

	it('names every wrong field at once', () => {
		expect(fieldsOf({ name: 'Bad!', title: '', window: 'week', tiles: 'csat', columns: 9, rotate_seconds: 1 }).sort()).toEqual(
			['columns', 'name', 'rotate_seconds', 'tiles', 'title', 'window'].sort()
		);
		expect(fieldsOf(null)).toEqual(['(body)']);
	});
});

describe('parseBoardPatch', () => {
	const vip: BoardDefinition = { name: 'vip', title: 'VIP', window: '7d', tiles: ['nps'], columns: 2, rotateSeconds: 60, playlist: ['vip', 'main'] };

	it('changes the fields it names and keeps the rest', () => {
		expect(parseBoardPatch(vip, { tiles: ['csat', 'nps'], rotate_seconds: 20 }, BOARDS)).toEqual({ ok: true, value: { ...vip, tiles: ['csat', 'nps'], rotateSeconds: 20 } });
		expect(parseBoardPatch(vip, { name: 'vip', title: 'VIP desk' }, BOARDS)).toMatchObject({ ok: true, value: { name: 'vip', title: 'VIP desk' } });
	});

	it('refuses a new name, a body that is no object, and bad fields by name', () => {
		expect(parseBoardPatch(vip, { name: 'gold' }, BOARDS)).toMatchObject({ ok: false, errors: [{ field: 'name', message: expect.stringMatching(/cannot be changed.*copy the board/) }] });
		expect(parseBoardPatch(vip, [1], BOARDS)).toMatchObject({ ok: false, errors: [{ field: '(body)' }] });
		expect(parseBoardPatch(vip, { columns: 0, window: 'x' }, BOARDS)).toMatchObject({ ok: false, errors: [{ field: 'window' }, { field: 'columns' }] });
	});
});
