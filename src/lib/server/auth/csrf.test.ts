import { describe, expect, it } from 'vitest';
import { crossSiteRefusal, isFormContentType, type CrossSiteRequest } from './csrf';

const APP = 'https://cx.example.com';
const req = (over: Partial<CrossSiteRequest>): CrossSiteRequest => ({
	method: 'POST',
	path: '/api/v1/events',
	origin: null,
	appOrigins: [APP],
	contentType: 'application/json',
	authorization: null,
	cookie: null,
	...over
});

describe('crossSiteRefusal', () => {
	it('refuses form types from another or no origin, like SvelteKit', () => {
		for (const contentType of [
			'application/x-www-form-urlencoded',
			'multipart/form-data; boundary=x',
			'TEXT/PLAIN;charset=utf-8',
			'application/x-sveltekit-formdata'
		]) {
			expect(crossSiteRefusal(req({ contentType, origin: 'https://evil.example' }))).toBe(
				'Cross-site POST form submissions are forbidden'
			);
			expect(crossSiteRefusal(req({ contentType, path: '/settings', method: 'DELETE' }))).toBe(
				'Cross-site DELETE form submissions are forbidden'
			);
			expect(crossSiteRefusal(req({ contentType, origin: 'null' }))).not.toBeNull();
			expect(crossSiteRefusal(req({ contentType, origin: APP }))).toBeNull();
		}
	});

	it('lets API requests with a Bearer token through whatever their type and origin', () => {
		for (const contentType of ['text/plain', 'application/x-www-form-urlencoded']) {
			expect(crossSiteRefusal(req({ contentType, authorization: 'Bearer cx_abc' }))).toBeNull();
			expect(
				crossSiteRefusal(
					req({
						contentType,
						authorization: 'Bearer cx_abc',
						cookie: 'cx_session=s',
						origin: 'https://evil.example'
					})
				)
			).toBeNull();
		}
	});

	it('gives pages no Bearer exemption, and other schemes none anywhere', () => {
		expect(
			crossSiteRefusal(
				req({
					path: '/login',
					contentType: 'application/x-www-form-urlencoded',
					authorization: 'Bearer cx_abc'
				})
			)
		).not.toBeNull();
		expect(crossSiteRefusal(req({ contentType: 'text/plain', authorization: 'Basic dTpw' }))).not.toBeNull();
		expect(crossSiteRefusal(req({ contentType: 'text/plain', authorization: 'Bearer' }))).not.toBeNull();
	});

	it('refuses any cross-origin request that carries cookies', () => {
		expect(crossSiteRefusal(req({ cookie: 'cx_session=s', origin: 'https://app.example.com' }))).toBe(
			'Cross-origin POST requests with cookies are forbidden'
		);
		expect(
			crossSiteRefusal(req({ method: 'PUT', cookie: 'cx_session=s', origin: 'https://evil.example' }))
		).not.toBeNull();
		expect(crossSiteRefusal(req({ cookie: 'cx_session=s', origin: APP }))).toBeNull();
		// Without an Origin it is no browser's cross-origin request (browsers send Origin on every POST).
		expect(crossSiteRefusal(req({ cookie: 'cx_session=s' }))).toBeNull();
		expect(crossSiteRefusal(req({ origin: 'https://evil.example' }))).toBeNull();
	});

	it('never refuses GET or HEAD', () => {
		for (const method of ['GET', 'HEAD'])
			expect(
				crossSiteRefusal(
					req({ method, contentType: 'text/plain', cookie: 'a=b', origin: 'https://evil.example' })
				)
			).toBeNull();
	});
});

describe('isFormContentType', () => {
	it('reads the media type only', () => {
		expect(isFormContentType(' text/plain ; charset=utf-8')).toBe(true);
		expect(isFormContentType('application/json')).toBe(false);
		expect(isFormContentType(null)).toBe(false);
	});
});
