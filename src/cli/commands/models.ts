import { config } from '../../lib/server/config';
import { hasMetrics, listVersions, readManifest, readMetadata, type MetricSummary } from '../../lib/server/churn/registry';
import type { Command } from '../command';

/** A metadata.json may lack fields (written by hand, or by an older version): such a cell shows "–". */
const cell = (v: unknown): string => (typeof v === 'number' || (typeof v === 'string' && v !== '') ? String(v) : '–');

export const modelsCommand: Command = {
	name: 'models',
	usage: 'models',
	summary: 'list churn model versions with their metrics against the baselines (* = champion)',
	options: {},
	db: 'none',
	async run({ out, err }) {
		const dir = config().modelsDir;
		const versions = listVersions(dir);
		if (!versions.length) {
			out(`no models in ${dir} yet (train one with \`npm run cx -- train\`)`);
			return 0;
		}
		const champion = readManifest(dir).champion;
		out(['', 'version', 'created', 'definition', 'auc', 'pr_auc', 'brier', 'ece', 'lift@10', 'auc recency', 'auc rfm', 'beats', 'champion then (auc, same snapshot)'].join('\t'));
		const incomplete: string[] = [];
		for (const v of versions) {
			const m = readMetadata(dir, v);
			const metrics: Partial<MetricSummary> = m.metrics ?? {};
			const b = m.baseline_metrics;
			const complete = hasMetrics(m);
			if (!complete) incomplete.push(v);
			const beats = complete ? (m.metrics.auc > Math.max(b.recency.auc, b.rfm_logistic.auc) ? 'yes' : 'no') : '–';
			const cc = m.champion_comparison;
			const definition = m.definition ? `${m.definition}/${cell(m.horizon_days)}d` : '–';
			out(
				[v === champion ? '*' : '', v, cell(m.created_at?.slice(0, 16)), definition, metrics.auc, metrics.pr_auc, metrics.brier, metrics.ece, metrics.lift_at_10, b?.recency?.auc, b?.rfm_logistic?.auc]
					.map((x, i) => (i < 2 ? String(x) : cell(x)))
					.concat(beats, cc ? `${cc.version} ${cell(cc.metrics?.auc)}` : '-')
					.join('\t')
			);
		}
		if (incomplete.length) err(`note: ${incomplete.join(', ')}: metadata.json without metrics, shown as –`);
		return 0;
	}
};
