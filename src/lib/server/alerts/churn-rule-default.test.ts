import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultMinProbability, FALLBACK_MIN_PROBABILITY } from './churn-rule-default';

let dir: string;
beforeEach(() => {
	dir = mkdtempSync(join(tmpdir(), 'cx-rule-default-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const manifest = (champion: string | null) =>
	writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ champion, history: [] }));
function version(v: string, metadata: object) {
	mkdirSync(join(dir, v));
	writeFileSync(join(dir, v, 'metadata.json'), JSON.stringify(metadata));
}

describe("the rule editor's fixed churn probability", () => {
	it("starts where the champion's high band starts, rounded up to 0.1 %", () => {
		mkdirSync(join(dir, 'v0001'));
		// The bundled version: high from 16.142 %.
		copyFileSync(
			join(process.cwd(), 'models/churn/v0001/metadata.json'),
			join(dir, 'v0001', 'metadata.json')
		);
		manifest('v0001');
		expect(defaultMinProbability(dir)).toBe(0.162);
	});

	it('keeps a bound on a tenth of a percent, floating-point noise and all (not 14.3 % for 14.2 %)', () => {
		const high = 1 - 0.858;
		expect(high).toBe(0.14200000000000002);
		version('v0002', { bands: { medium: 0.08, high } });
		manifest('v0002');
		expect(defaultMinProbability(dir)).toBe(0.142);
	});

	it("is a version's fixed high band when that is what it saved", () => {
		version('v0001', { bands: { medium: 0.3, high: 0.6 } });
		manifest('v0001');
		expect(defaultMinProbability(dir)).toBe(0.6);
	});

	it('is 70 % with no champion, a champion without bands, or a registry that cannot be read', () => {
		expect(defaultMinProbability(join(dir, 'nothing-here'))).toBe(FALLBACK_MIN_PROBABILITY);
		version('v0001', { bands: { medium: 0.08, high: 0.16 } });
		manifest(null);
		expect(defaultMinProbability(dir)).toBe(0.7);
		version('v0002', { version: 'v0002' });
		manifest('v0002');
		expect(defaultMinProbability(dir)).toBe(0.7);
		writeFileSync(join(dir, 'manifest.json'), '{not json');
		expect(defaultMinProbability(dir)).toBe(0.7);
	});
});
