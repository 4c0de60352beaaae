import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aModelVersion, writeRegistry } from '../../../../tests/fixtures/model-registry';
import { promoteWarnings, promoteWarningsFor } from './models-overview-promote';
import { promoteModel } from './registry';

const champion = aModelVersion('v0001').withTarget('inactivity', 30).withAuc(0.8792).build();

describe('promoteWarnings', () => {
	it('says nothing about a comparable version that beats the baselines and the champion of its time', () => {
		const v = aModelVersion('v0002')
			.withTarget('inactivity', 30)
			.withAuc(0.9)
			.withChampionComparison('v0001', 0.8792)
			.build();
		expect(promoteWarnings(v, champion)).toEqual([]);
	});

	it("warns when the version predicts another churn definition or horizon than the champion's", () => {
		const other = aModelVersion('v0002').withTarget('cancellation', 30).withAuc(0.9).build();
		expect(promoteWarnings(other, champion)).toEqual([
			{
				kind: 'target',
				message:
					"v0002 predicts cancellation churn within 30 days, the champion v0001 inactivity churn within 30 days (another churn definition): promoting it changes what every customer's P(churn) means, and its figures were measured on other labels than v0001's"
			}
		]);
		const longer = aModelVersion('v0003').withTarget('cancellation', 90).withAuc(0.9).build();
		expect(promoteWarnings(longer, champion)[0].message).toContain('(another churn definition and horizon)');
		const horizon = aModelVersion('v0004').withTarget('inactivity', 90).withAuc(0.9).build();
		expect(promoteWarnings(horizon, champion)[0].message).toContain(
			'inactivity churn within 90 days, the champion v0001 inactivity churn within 30 days (another horizon)'
		);
		// Without a champion there is nothing to differ from.
		expect(promoteWarnings(other, null)).toEqual([]);
	});

	it('warns when the version ranks its validation customers worse than the champion of its time did', () => {
		const v = aModelVersion('v0003')
			.withTarget('inactivity', 30)
			.withAuc(0.8696)
			.withChampionComparison('v0001', 0.8792)
			.build();
		expect(promoteWarnings(v, champion)).toEqual([
			{
				kind: 'ranks-worse',
				message:
					'v0003 ranks its validation customers worse than v0001 did (ROC-AUC 0.8696 vs 0.8792 on the same customers)'
			}
		]);
	});

	it('warns when the version does not beat the baselines (or has no metrics), most serious first', () => {
		const weak = aModelVersion('v0005')
			.withTarget('cancellation', 30)
			.withAuc(0.6)
			.withBaselineAuc(0.7, 0.72)
			.withChampionComparison('v0001', 0.8)
			.build();
		expect(promoteWarnings(weak, champion).map((w) => w.kind)).toEqual([
			'target',
			'ranks-worse',
			'baselines'
		]);
		expect(promoteWarnings(weak, champion)[2].message).toBe(
			'v0005 does not beat the baselines on ROC-AUC (0.6000 vs recency 0.7000, RFM 0.7200); promoting it overrides that check'
		);
		expect(promoteWarnings({ version: 'v0006' }, null)).toEqual([
			{
				kind: 'baselines',
				message: 'v0006 has no metrics to compare with the baselines; promoting it overrides that check'
			}
		]);
	});

	it('reads the registry: against the champion now, and none for the champion itself', () => {
		const dir = mkdtempSync(join(tmpdir(), 'cx-promote-warn-'));
		try {
			writeRegistry(dir, [
				champion,
				aModelVersion('v0002').withTarget('cancellation', 30).withAuc(0.9).build()
			]);
			expect(promoteWarningsFor(dir, 'v0002')).toEqual([]);
			expect(promoteModel(dir, 'v0001', { by: 'test' }).ok).toBe(true);
			expect(promoteWarningsFor(dir, 'v0002').map((w) => w.kind)).toEqual(['target']);
			expect(promoteWarningsFor(dir, 'v0001')).toEqual([]);
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});
});
