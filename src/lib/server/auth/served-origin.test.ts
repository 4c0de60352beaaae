import { describe, expect, it } from 'vitest';
import { sameOrigins, servedUrl } from './served-origin';

describe('served origin', () => {
	it('is what adapter-node derived when ORIGIN or PROTOCOL_HEADER is set', () => {
		const url = new URL('https://cx.example.com/login?next=%2F');
		expect(servedUrl(url, true)).toBe(url);
		expect(sameOrigins(url, true)).toEqual(['https://cx.example.com']);
	});

	it('is plain http when adapter-node was told nothing (its https is an assumption; it serves HTTP)', () => {
		const u = servedUrl(new URL('https://localhost:3000/login?next=%2Falerts'), false);
		expect(u.href).toBe('http://localhost:3000/login?next=%2Falerts');
		expect(servedUrl(new URL('https://10.0.0.5/settings'), false).origin).toBe('http://10.0.0.5');
	});

	it('accepts both schemes of the request host as same-origin when nothing is configured, and no other host', () => {
		const origins = sameOrigins(new URL('https://10.0.0.5:3000/login'), false);
		expect(origins).toEqual(['http://10.0.0.5:3000', 'https://10.0.0.5:3000']);
		expect(origins).not.toContain('http://10.0.0.5');
	});
});
