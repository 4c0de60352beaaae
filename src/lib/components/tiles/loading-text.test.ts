import { describe, expect, it } from 'vitest';
import { loadingText, pressedWindow } from './loading-text';

describe('the Overview while a choice loads', () => {
	it('presses the chosen window at once and says what loads', () => {
		expect(pressedWindow({ name: 'window', value: '7d' }, '24h')).toBe('7d');
		expect(pressedWindow({ name: 'channel', value: 'app' }, '24h')).toBe('24h');
		expect(pressedWindow(null, '24h')).toBe('24h');
		expect(loadingText({ name: 'window', value: '7d' })).toBe('loading 7 d…');
		expect(loadingText({ name: 'channel', value: 'app' })).toBe('loading channel app…');
		expect(loadingText({ name: 'segment', value: '' })).toBe('loading all segments…');
		expect(loadingText(null)).toBe('');
	});
});
