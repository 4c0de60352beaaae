import { describe, expect, it } from 'vitest';
import { attentionText } from './form-errors';

describe('form error summary', () => {
	it('counts the fields that need attention', () => {
		expect(attentionText(1)).toBe('1 field needs attention');
		expect(attentionText(2)).toBe('2 fields need attention');
	});
});
