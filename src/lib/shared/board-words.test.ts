import { describe, expect, it } from 'vitest';
import { moveItem, rotationInWords, rotationOrder, tilesInWords } from './board-words';

const catalogue = [
	{ id: 'csat', label: 'CSAT', unit: 'percent', description: '' },
	{ id: 'frt_median', label: 'First response (median)', unit: 'seconds', description: '' }
] as const;

describe('board words', () => {
	it('says the tiles with their units', () => {
		expect(tilesInWords(['frt_median', 'csat', 'gone'], catalogue)).toBe('First response (median) (time), CSAT (%), gone');
	});

	it('plays a board first, then its playlist round from there, skipping boards that are gone', () => {
		expect(rotationOrder({ name: 'vip', playlist: ['main', 'vip', 'lost', 'support'] }, ['main', 'support'])).toEqual(['vip', 'support', 'main']);
		expect(rotationOrder({ name: 'vip', playlist: ['main'] }, ['main'])).toEqual(['vip', 'main']);
		expect(rotationInWords({ name: 'vip', rotate_seconds: 45, playlist: ['vip', 'main'] }, ['main'])).toBe('45 s each: vip → main');
		expect(rotationInWords({ name: 'vip', rotate_seconds: 30, playlist: [] }, [])).toBe('no rotation (30 s on screen)');
	});

	it('moves a tile up or down, never past the ends', () => {
		expect(moveItem(['a', 'b', 'c'], 2, -1)).toEqual(['a', 'c', 'b']);
		expect(moveItem(['a', 'b', 'c'], 0, 1)).toEqual(['b', 'a', 'c']);
		expect(moveItem(['a', 'b', 'c'], 0, -1)).toEqual(['a', 'b', 'c']);
		expect(moveItem(['a', 'b', 'c'], 2, 1)).toEqual(['a', 'b', 'c']);
	});
});
