import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { promoteModel } from '../churn/registry';
import { aModelVersion, writeRegistry } from '../../../../tests/fixtures/model-registry';
import { atRiskMeaning } from './at-risk-meaning';

const dirs: string[] = [];
afterEach(() => {
	for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function registry(): string {
	const d = mkdtempSync(join(tmpdir(), 'cx-at-risk-meaning-'));
	dirs.push(d);
	return d;
}

describe('what "at risk" means on the at-risk pages', () => {
	it("names the champion and where its high band starts", () => {
		const d = registry();
		writeRegistry(d, [aModelVersion('v0001').withFittedBands(0.0862, 0.1614, { medium: 0.3002, high: 0.1001 }).build()]);
		expect(atRiskMeaning(d, 'at_risk_customers')).toBeNull();
		expect(promoteModel(d, 'v0001', { by: 'test', force: true }).ok).toBe(true);
		expect(atRiskMeaning(d, 'at_risk_revenue')).toBe(
			'At risk = in the high band of the champion churn model v0001. Its bands: high from 16.1 %, medium from 8.6 % churn probability: the riskiest 10 % and the next 20 % of the validation customers.'
		);
		expect(atRiskMeaning(d, 'csat')).toBeNull();
	});

	it('says nothing without a registry', () => {
		expect(atRiskMeaning(join(registry(), 'missing'), 'at_risk_customers')).toBeNull();
	});
});
