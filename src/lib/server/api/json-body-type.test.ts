import { describe, expect, it } from 'vitest';
import { isJsonContentType, jsonBodyTypeRefusal, type BodyHeaders } from './json-body-type';

const h = (over: Partial<BodyHeaders>): BodyHeaders => ({
	method: 'POST',
	path: '/api/v1/alerts/rules',
	contentType: 'application/json',
	contentLength: '2',
	transferEncoding: null,
	...over
});

describe('jsonBodyTypeRefusal', () => {
	it('refuses bodies that are not declared JSON, naming what was sent', () => {
		expect(jsonBodyTypeRefusal(h({ contentType: 'application/x-www-form-urlencoded' }))).toBe(
			'this endpoint takes a JSON body: send Content-Type: application/json (got Content-Type "application/x-www-form-urlencoded")'
		);
		expect(jsonBodyTypeRefusal(h({ method: 'PUT', contentType: 'text/plain' }))).not.toBeNull();
		expect(
			jsonBodyTypeRefusal(h({ contentType: null, contentLength: null, transferEncoding: 'chunked' }))
		).toMatch(/got no Content-Type/);
	});

	it('lets JSON, bodiless requests, reads and /events (its own types) through', () => {
		expect(jsonBodyTypeRefusal(h({ contentType: 'application/json; charset=utf-8' }))).toBeNull();
		expect(
			jsonBodyTypeRefusal(h({ contentType: 'application/x-www-form-urlencoded', contentLength: '0' }))
		).toBeNull();
		expect(jsonBodyTypeRefusal(h({ contentType: null, contentLength: null }))).toBeNull();
		expect(jsonBodyTypeRefusal(h({ method: 'GET', contentType: 'text/plain' }))).toBeNull();
		expect(
			jsonBodyTypeRefusal(h({ path: '/api/v1/events', contentType: 'application/x-ndjson' }))
		).toBeNull();
	});
});

describe('isJsonContentType', () => {
	it('accepts application/json and +json types', () => {
		expect(isJsonContentType('Application/JSON')).toBe(true);
		expect(isJsonContentType('application/merge-patch+json')).toBe(true);
		expect(isJsonContentType('application/jsonp')).toBe(false);
		expect(isJsonContentType('text/json')).toBe(false);
	});
});
