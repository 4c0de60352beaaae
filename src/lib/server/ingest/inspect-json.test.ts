import { describe, expect, it } from 'vitest';
import { nestedJson } from '../../../../tests/fixtures/hostile';
import { findJsonProblem, hasLoneSurrogate, quoteValue } from './inspect-json';

describe('findJsonProblem', () => {
	it('finds nesting past the limit without recursing (100,000 levels)', () => {
		expect(findJsonProblem(JSON.parse(nestedJson(100_000)), 64)).toBe('too-deep');
		expect(findJsonProblem(JSON.parse(nestedJson(64)), 64)).toBe(null);
		expect(findJsonProblem(JSON.parse(nestedJson(65)), 64)).toBe('too-deep');
		expect(findJsonProblem(JSON.parse(`{"a":${nestedJson(65, '{"b":', '}', '1')}}`), 64)).toBe('too-deep');
	});

	it('finds lone surrogates in keys and strings, not in proper pairs', () => {
		expect(findJsonProblem(JSON.parse('{"a":["x\\ud800"]}'), 64)).toBe('lone-surrogate');
		expect(findJsonProblem(JSON.parse('{"\\udc00":1}'), 64)).toBe('lone-surrogate');
		expect(findJsonProblem(JSON.parse('{"\\ud83d\\ude00":"\\ud83d\\ude00"}'), 64)).toBe(null);
		expect(hasLoneSurrogate('a\ud800')).toBe(true);
		expect(hasLoneSurrogate('a😀')).toBe(false);
	});
});

describe('quoteValue', () => {
	it('cuts long text and never dumps objects', () => {
		expect(quoteValue('fax')).toBe('"fax"');
		expect(quoteValue('x'.repeat(5_000_000))).toBe(`"${'x'.repeat(80)}…" (5000000 characters)`);
		expect(quoteValue({ a: 'x'.repeat(1000) })).toBe('an object');
		expect(quoteValue([1, 2, 3])).toBe('an array of 3');
		expect(quoteValue(Infinity)).toBe('Infinity');
		expect(quoteValue(new Date(Number.NaN))).toBe('an invalid date');
	});
});
