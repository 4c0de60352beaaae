import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import { config } from '../../lib/server/config';
import { getDb } from '../../lib/server/db';
import { asOfAfterDay } from '../../lib/server/churn/definitions';
import { trainRequestFrom } from '../../lib/server/churn/models-overview-requests';
import { checkRunCutoff } from '../../lib/server/churn/run-cutoff';
import { promoteWarningsFor } from '../../lib/server/churn/models-overview-promote';
import { formatProgress } from '../../lib/server/churn/progress-line';
import { RunControl } from '../../lib/server/churn/run-control';
import { cancelTrainChallenger, trainChallenger } from '../../lib/server/churn/train-job';
import { cancelOnCtrlC } from '../cancel-on-ctrl-c';
import { failLostRuns } from '../lost-runs';
import type { Command } from '../command';
import { checkedFlags, flagNumber } from '../run-flags';
import { metricRow } from '../metric-row';
import { describeBands } from '../../lib/shared/risk-bands-text';
import { againstBestBaseline } from '../../lib/shared/baseline-compare-text';
import { validationCutoffText } from '../../lib/shared/cutoff-range';

export const trainCommand: Command = {
	name: 'train',
	usage: 'train [--cutoff DATE] [--horizon-days N] [--epochs N] [--churn-definition auto|inactivity|cancellation]',
	summary: 'train a challenger (validation = the cutoff, default: last event day − horizon) and save it to the registry',
	options: {
		cutoff: { type: 'string' },
		'horizon-days': { type: 'string', default: '90' },
		epochs: { type: 'string' },
		'churn-definition': { type: 'string', default: 'auto' }
	},
	db: 'existing',
	async run({ values, out, err }) {
		// The API's own check of a train request (POST /api/v1/models/train), before the database is opened.
		const flags = { cutoff: ['--cutoff', values.cutoff], horizon_days: ['--horizon-days', values['horizon-days']], epochs: ['--epochs', values.epochs], definition: ['--churn-definition', values['churn-definition']] } as const;
		const req = checkedFlags(trainRequestFrom({ cutoff: values.cutoff, horizon_days: flagNumber(values['horizon-days']), epochs: flagNumber(values.epochs), definition: values['churn-definition'] }), flags);
		// The parser's defaults (90, auto) are always there.
		const horizonDays = req.horizonDays ?? 90;
		const { epochs } = req;
		const def = req.definition ?? 'auto';
		const cfg = config();
		const db = await getDb(cfg.dbPath);
		// This process holds the file now: a run still `running` was left by one that was killed.
		await failLostRuns(db);
		// The data decides which cutoffs work: refused as the API refuses them, before a run is recorded.
		const window = await checkRunCutoff(db, { use: 'train', cutoff: req.cutoff, horizonDays });
		if (!window.ok) {
			err(`cx train: ${window.problem.message}`);
			return 1;
		}
		const asOf = asOfAfterDay(window.cutoff);
		const by = userInfo().username;
		// Ctrl-C: the run is recorded as cancelled (the Models page lists it) and nothing is saved. The
		// version is written only after training, under the run's own claim (RunControl), so an
		// interrupt then lets the save finish instead.
		const runId = randomUUID();
		const control = new RunControl();
		const ctrlC = cancelOnCtrlC({ command: 'train', cancel: () => cancelTrainChallenger(db, { runId, control, by }), cancelled: 'the run is recorded as cancelled and no version was saved', err });
		out(`training run ${runId} (Ctrl-C cancels it; nothing is saved then)`);
		const r = await trainChallenger(db, { asOf, horizonDays, epochs, definition: def, by, modelsDir: cfg.modelsDir, onProgress: (p) => out(formatProgress(p)), log: out, runId, control }).finally(ctrlC.stop);
		if (!r.ok && r.cancelled) await ctrlC.cancelled();
		if (!r.ok) {
			err(`cx train: ${r.error}`);
			return 1;
		}
		const { version, fit: f, champion } = r.value;
		const v = f.validationMetrics;
		out(`${f.bundle.definition} churn, horizon ${f.bundle.horizonDays} days; ${validationCutoffText(f.validation.as_of)}: ${f.validation.n} customers, ${f.validation.positives} churned`);
		out(metricRow('model', v.model));
		out(metricRow('recency', v.recency));
		out(metricRow('rfm_logistic', v.rfm_logistic));
		if (champion) out(metricRow(`champion ${champion.version}`, champion.metrics));
		out(`risk bands: ${describeBands(f.bundle.bands)}`);
		// The UI's challengers take the champion's target; here the flags decide, so say when they differ.
		for (const w of promoteWarningsFor(cfg.modelsDir, version).filter((x) => x.kind === 'target')) err(`warning: ${w.message}`);
		// The end line of a training run on the Models page, in its words and precision.
		out(`saved ${version} — ${againstBestBaseline(v.model, { recency: v.recency, rfm_logistic: v.rfm_logistic })}`);
		out(`${version} is in ${cfg.modelsDir} (${f.trainSeconds.toFixed(1)} s); it is a challenger until \`promote ${version}\``);
		return 0;
	}
};
