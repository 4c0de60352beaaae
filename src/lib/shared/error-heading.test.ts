import { describe, expect, it } from 'vitest';
import { errorHeading } from './error-heading';

describe('error page heading', () => {
	it('says a 400 is the address’s parameter and keeps the server fault’s words for a 500', () => {
		expect(errorHeading(400)).toBe('400 — this address has a parameter the page cannot use');
		expect(errorHeading(403)).toBe('403 — not allowed');
		expect(errorHeading(404)).toBe('404 — not found');
		expect(errorHeading(500)).toBe('500 — something went wrong');
	});
});
