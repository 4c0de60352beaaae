import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { registryNotice } from './registry-notice';

const dirs: string[] = [];
const scratch = () => {
	const d = mkdtempSync(join(tmpdir(), 'cx-registry-notice-'));
	dirs.push(d);
	return d;
};
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('registryNotice', () => {
	it('says nothing when the folder has a champion (the bundled registry)', () => {
		expect(registryNotice(join(process.cwd(), 'models', 'churn'))).toBeNull();
	});

	it('names the registry one level down when CX_MODELS_DIR points at its parent', () => {
		const root = scratch();
		cpSync(join(process.cwd(), 'models', 'churn'), join(root, 'churn'), { recursive: true });
		expect(registryNotice(root)).toBe(
			`no churn model in ${root}, but ${join(root, 'churn')} holds a model registry: did you mean CX_MODELS_DIR=${join(root, 'churn')}? Customers are not scored until a champion is found.`
		);
	});

	it('says how scoring starts in an empty or missing folder', () => {
		const root = scratch();
		expect(registryNotice(root)).toMatch(/^no churn model in .*: customers are scored once a model is trained and promoted/);
		expect(registryNotice(join(root, 'missing'))).toMatch(/^no churn model in /);
	});

	it('asks for a promotion when versions exist without a champion', () => {
		const root = scratch();
		mkdirSync(root, { recursive: true });
		cpSync(join(process.cwd(), 'models', 'churn', 'v0001'), join(root, 'v0001'), { recursive: true });
		expect(registryNotice(root)).toBe(
			`no champion among the 1 model version(s) in ${root}: promote one (Models page or npm run cx -- promote vNNNN) to score customers`
		);
	});
});
