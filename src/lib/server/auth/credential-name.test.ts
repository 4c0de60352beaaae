import { describe, expect, it } from 'vitest';
import { chooseCredentialName } from './credential-name';

describe('chooseCredentialName', () => {
	it('keeps a free typed name, trimmed', () => {
		expect(chooseCredentialName('  shop webhook ', ['crm'], 'ingest key', 'API key')).toEqual({ ok: true, name: 'shop webhook' });
	});

	it('refuses a name in use whatever its case, quoting the name as stored', () => {
		expect(chooseCredentialName('SHOP webhook', ['Shop Webhook'], 'ingest key', 'API key')).toEqual({
			ok: false,
			field: 'name',
			error: 'name "Shop Webhook" is already used by an active API key; choose another name or revoke that API key first'
		});
	});

	it('refuses over 100 characters (counted as characters, not UTF-16 units) instead of cutting', () => {
		expect(chooseCredentialName('a'.repeat(100), [], 'x', 'API key')).toEqual({ ok: true, name: 'a'.repeat(100) });
		expect(chooseCredentialName('📺'.repeat(100), [], 'x', 'API key')).toEqual({ ok: true, name: '📺'.repeat(100) });
		expect(chooseCredentialName('a'.repeat(1000), [], 'x', 'API key')).toEqual({
			ok: false,
			field: 'name',
			error: 'name is 1,000 characters long; at most 100 are allowed'
		});
	});

	it('numbers the default when an active credential has it (nobody chose it)', () => {
		expect(chooseCredentialName('', [], 'ingest key', 'API key')).toEqual({ ok: true, name: 'ingest key' });
		expect(chooseCredentialName(undefined, ['Ingest Key', 'ingest key 2'], 'ingest key', 'API key')).toEqual({ ok: true, name: 'ingest key 3' });
	});
});
