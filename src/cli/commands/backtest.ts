import { config } from '../../lib/server/config';
import { getDb } from '../../lib/server/db';
import { userInfo } from 'node:os';
import { randomUUID } from 'node:crypto';
import { cancelBacktest, runBacktestJob } from '../../lib/server/churn/backtest-job';
import { RunControl } from '../../lib/server/churn/run-control';
import { writeBacktestOutputs } from '../../lib/server/churn/csv';
import { backtestRequestFrom } from '../../lib/server/churn/models-overview-requests';
import { checkRunCutoff } from '../../lib/server/churn/run-cutoff';
import { formatProgress } from '../../lib/server/churn/progress-line';
import { cancelOnCtrlC } from '../cancel-on-ctrl-c';
import { failLostRuns } from '../lost-runs';
import { UsageError, type Command } from '../command';
import { prepareOutputs } from '../paths';
import { checkedFlags, flagNumber } from '../run-flags';
import { judgedOnText } from '../../lib/shared/backtest-windows';
import { fmtSigned } from '../../lib/components/models/format';
import { metricRow } from '../metric-row';
import { cancelledNotScoredText } from '../../lib/shared/not-scored-text';

export const backtestCommand: Command = {
	name: 'backtest',
	usage: 'backtest --cutoff DATE --horizon-days N --scores-out FILE.csv --report-out FILE.json [--churn-definition auto|inactivity|cancellation]',
	summary: 'train at cutoff − horizon, score at the cutoff, evaluate on the horizon after it, against baselines',
	options: {
		cutoff: { type: 'string' },
		'horizon-days': { type: 'string' },
		'scores-out': { type: 'string' },
		'report-out': { type: 'string' },
		'churn-definition': { type: 'string', default: 'auto' }
	},
	db: 'existing',
	paths: ['scores-out', 'report-out'],
	async run({ values, out, err }) {
		if (typeof values.cutoff !== 'string') throw new UsageError('--cutoff DATE is required');
		if (values['horizon-days'] === undefined) throw new UsageError('--horizon-days N is required');
		// The API's own check of a backtest request (POST /api/v1/models/backtest), before the database is opened.
		const flags = { cutoff: ['--cutoff', values.cutoff], horizon_days: ['--horizon-days', values['horizon-days']], churn_definition: ['--churn-definition', values['churn-definition']] } as const;
		const req = checkedFlags(backtestRequestFrom({ cutoff: values.cutoff, horizon_days: flagNumber(values['horizon-days']), churn_definition: values['churn-definition'] }), flags);
		const horizonDays = req.horizonDays!;
		const scoresOut = values['scores-out'];
		const reportOut = values['report-out'];
		if (typeof scoresOut !== 'string') throw new UsageError('--scores-out FILE.csv is required');
		if (typeof reportOut !== 'string') throw new UsageError('--report-out FILE.json is required');
		const def = req.definition ?? 'auto';
		// Training takes minutes; an unusable output path must fail before it, not after.
		prepareOutputs({ '--scores-out': scoresOut, '--report-out': reportOut });

		const db = await getDb(config().dbPath);
		// This process holds the file now: a run still `running` was left by one that was killed.
		await failLostRuns(db);
		// A cutoff the data cannot support is refused before a run is recorded, in the API's words.
		const window = await checkRunCutoff(db, { use: 'backtest', cutoff: req.cutoff, horizonDays });
		if (!window.ok) {
			err(`cx backtest: ${window.problem.message}`);
			return 1;
		}
		const cutoff = window.cutoff;
		// Recorded in backtest_runs like the Models page's backtests, so the page lists this run too. Ctrl-C
		// records it as cancelled and writes no file.
		const by = userInfo().username;
		const runId = randomUUID();
		const control = new RunControl();
		const ctrlC = cancelOnCtrlC({ command: 'backtest', cancel: () => cancelBacktest(db, { runId, control, by }), cancelled: 'the run is recorded as cancelled and no file was written', err });
		out(`backtest run ${runId} (Ctrl-C cancels it)`);
		const r = await runBacktestJob(db, { cutoff, horizonDays, definition: def, by, runId, control, onProgress: (p) => out(formatProgress(p)), log: out }).finally(ctrlC.stop);
		if (!r.ok && r.cancelled) await ctrlC.cancelled();
		if (!r.ok) {
			err(`cx backtest: ${r.error}`);
			return 1;
		}
		const { report, scores, cancelledAtCutoff } = r.value;
		writeBacktestOutputs({ scoresFile: scoresOut, scores, reportFile: reportOut, report });
		out(`population ${report.n} customers, ${report.positives} churned (${report.churn_definition}), ${judgedOnText(report.cutoff, report.horizon_days)}`);
		if (cancelledAtCutoff !== null) out(cancelledNotScoredText(cancelledAtCutoff));
		out(metricRow('model', report));
		out(metricRow('recency', report.baselines.recency));
		out(metricRow('rfm_logistic', report.baselines.rfm_logistic));
		const g = report.goal;
		out(`goal (beat both baselines by ${g.min_margin} on ROC-AUC and PR-AUC): ${g.met ? 'met' : 'not met'} (ROC-AUC ${fmtSigned(g.auc_margin)}, PR-AUC ${fmtSigned(g.pr_auc_margin)} over the best baseline)`);
		for (const w of report.warnings) err(`warning: ${w}`);
		out(`wrote ${scores.length} scores to ${scoresOut} and the report to ${reportOut} (training ${report.train_seconds} s)`);
		return 0;
	}
};
