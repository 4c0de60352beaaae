import { describe, expect, it } from 'vitest';
import { when } from './format';

describe('when', () => {
	it('shows an ISO timestamp to the minute in UTC, and a dash for none', () => {
		expect(when('2026-12-05T09:41:59.123Z')).toBe('2026-12-05 09:41 UTC');
		expect(when('2026-12-05T09:41:00')).toBe('2026-12-05 09:41 UTC');
		expect(when(null)).toBe('—');
		expect(when(undefined)).toBe('—');
	});
});
