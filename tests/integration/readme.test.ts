// The README is part of the product: its configuration table and command list must match the code.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/commands';
import { CONFIG_VARS } from '../../src/lib/server/config';

const readme = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');

describe('README', () => {
	it('documents every configuration variable with its default', () => {
		for (const v of CONFIG_VARS) expect(readme).toContain(`| \`${v.name}\` | \`${v.default}\` |`);
	});

	it('names every CLI command', () => {
		for (const c of COMMANDS) expect(readme).toMatch(new RegExp('`' + c.name + '[ `]'));
	});

	it('gives the two-command start and the test command', () => {
		expect(readme).toContain('npm ci');
		expect(readme).toContain('npm start');
		expect(readme).toContain('npm test');
	});
});
