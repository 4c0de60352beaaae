import { config } from '../../lib/server/config';
import { listVersions, readManifest, readMetadata } from '../../lib/server/churn/registry';
import type { Command } from '../command';

export const modelsCommand: Command = {
	name: 'models',
	usage: 'models',
	summary: 'list churn model versions with their metrics against the baselines (* = champion)',
	options: {},
	async run({ out }) {
		const dir = config().modelsDir;
		const versions = listVersions(dir);
		if (!versions.length) {
			out(`no models in ${dir} yet (train one with \`npm run cx -- train\`)`);
			return 0;
		}
		const champion = readManifest(dir).champion;
		out(['', 'version', 'created', 'definition', 'auc', 'pr_auc', 'brier', 'ece', 'lift@10', 'auc recency', 'auc rfm', 'beats', 'champion then (auc, same snapshot)'].join('\t'));
		for (const v of versions) {
			const m = readMetadata(dir, v);
			const b = m.baseline_metrics;
			const beats = m.metrics.auc > Math.max(b.recency.auc, b.rfm_logistic.auc) ? 'yes' : 'no';
			const cc = m.champion_comparison;
			out(
				[v === champion ? '*' : '', v, m.created_at.slice(0, 16), `${m.definition}/${m.horizon_days}d`, m.metrics.auc, m.metrics.pr_auc, m.metrics.brier, m.metrics.ece, m.metrics.lift_at_10, b.recency.auc, b.rfm_logistic.auc, beats, cc ? `${cc.version} ${cc.metrics.auc}` : '-']
					.map(String)
					.join('\t')
			);
		}
		return 0;
	}
};
