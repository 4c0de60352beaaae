import { existsSync, readFileSync } from 'node:fs';
import type { BacktestReport } from '../../lib/server/churn/backtest';
import { DATA_NOTES, renderModelCard } from '../../lib/server/churn/model-card';
import { writeFileAtomic } from '../../lib/server/write-file-atomic';
import { CliError, UsageError, type Command } from '../command';
import { prepareOutputs, resolveUserPath } from '../paths';

export const modelCardCommand: Command = {
	name: 'model-card',
	usage: 'model-card --report FILE.json --out FILE.md [--data NAME] [--command "…"]',
	summary: 'render the model card (docs/model-card.md) from a backtest report',
	options: { report: { type: 'string' }, out: { type: 'string' }, data: { type: 'string' }, command: { type: 'string' } },
	db: 'none',
	// Not `paths`: the card quotes both paths as typed (docs/model-card.md must not name the author's folders).
	async run({ values, out }) {
		if (typeof values.report !== 'string' || !values.report) throw new UsageError('--report FILE.json is required');
		if (typeof values.out !== 'string' || !values.out) throw new UsageError('--out FILE.md is required');
		// The write-up of a known data set (source, licence, what was tried); without --data the card says nothing about the data.
		const notes = typeof values.data === 'string' ? DATA_NOTES[values.data] : null;
		if (notes === undefined) throw new UsageError(`--data ${JSON.stringify(values.data)} is not a data set with a write-up (${Object.keys(DATA_NOTES).join(', ')})`);
		const reportFile = resolveUserPath(values.report);
		const outFile = resolveUserPath(values.out);
		// A file problem, not a command-line one: exit 1 like `import` of a missing file (README, exit codes).
		if (!existsSync(reportFile)) throw new CliError(`no such file: ${reportFile}`);
		let report: BacktestReport;
		try {
			report = JSON.parse(readFileSync(reportFile, 'utf8')) as BacktestReport;
		} catch (e) {
			throw new CliError(`cannot read the report ${reportFile}: ${(e as Error).message}`);
		}
		if (typeof report?.auc !== 'number' || !report.baselines?.rfm_logistic) throw new CliError(`${reportFile} is not a backtest report (no auc / baselines)`);
		const command =
			typeof values.command === 'string'
				? values.command
				: `npm run cx -- backtest --cutoff ${report.cutoff} --horizon-days ${report.horizon_days} --churn-definition ${report.churn_definition} --scores-out scores.csv --report-out ${values.report}`;
		prepareOutputs({ '--out': outFile });
		// Replaces an earlier card (re-runs use the same --out) but never leaves one cut off: write-file-atomic.ts.
		writeFileAtomic(outFile, renderModelCard({ report, command, reportPath: values.report, outPath: values.out, notes, goalMargin: 0.03 }));
		out(`wrote ${outFile}`);
		return 0;
	}
};
