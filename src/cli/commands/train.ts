import { userInfo } from 'node:os';
import { config } from '../../lib/server/config';
import { getDb } from '../../lib/server/db';
import { resolveDefinition } from '../../lib/server/churn/backtest';
import { asOfAfterDay, CHURN_DEFINITIONS, DAY_MS, isoDay, parseCutoffDay, type ChurnDefinitionOption } from '../../lib/server/churn/definitions';
import { fitChurnModel } from '../../lib/server/churn/fit';
import { metadataFor } from '../../lib/server/churn/model-metadata';
import { formatProgress } from '../../lib/server/churn/progress-line';
import { saveModel } from '../../lib/server/churn/registry';
import { UsageError, type Command } from '../command';
import { positiveInt } from './backtest';

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
	async run({ values, out, err }) {
		const horizonDays = positiveInt(values['horizon-days'], '--horizon-days');
		const epochs = values.epochs === undefined ? undefined : positiveInt(values.epochs, '--epochs');
		const def = values['churn-definition'] as ChurnDefinitionOption;
		if (!CHURN_DEFINITIONS.includes(def)) throw new UsageError(`--churn-definition must be one of ${CHURN_DEFINITIONS.join(', ')}`);
		const cfg = config();
		const db = await getDb(cfg.dbPath);
		let asOf: Date;
		if (typeof values.cutoff === 'string') {
			const c = parseCutoffDay(values.cutoff);
			if (!c.ok) throw new UsageError(c.error);
			asOf = asOfAfterDay(c.value);
		} else {
			const last = await db.one<{ last_ms: number | null }>('SELECT CAST(epoch_ms(max(occurred_at)) AS DOUBLE) AS last_ms FROM events');
			if (last?.last_ms == null) {
				err('cx train: the database has no events');
				return 1;
			}
			// The validation labels need a full horizon after the cutoff.
			asOf = new Date(Math.floor((last.last_ms - horizonDays * DAY_MS) / DAY_MS) * DAY_MS);
		}
		const definition = await resolveDefinition(db, def, asOf);
		out(`training at cutoff ${isoDay(new Date(asOf.getTime() - DAY_MS))} (validation labels ${isoDay(asOf)} + ${horizonDays} days), churn = ${definition}`);
		const fit = await fitChurnModel(db, { asOf, horizonDays, definition, hyper: epochs ? { epochs } : undefined, onProgress: (p) => out(formatProgress(p)), log: out });
		if (!fit.ok) {
			err(`cx train: ${fit.error}`);
			return 1;
		}
		const f = fit.value;
		const version = saveModel(cfg.modelsDir, f.bundle, metadataFor(f, { by: userInfo().username }));
		const v = f.validationMetrics;
		const row = (name: string, m: typeof v.model) => `  ${name.padEnd(14)} auc ${m.auc.toFixed(4)}  pr_auc ${m.pr_auc.toFixed(4)}  brier ${m.brier.toFixed(4)}  ece ${m.ece.toFixed(4)}  lift@10% ${m.lift_at_10.toFixed(2)}`;
		out(`validation ${f.validation.as_of.slice(0, 10)}: ${f.validation.n} customers, ${f.validation.positives} churned`);
		out(row('model', v.model));
		out(row('recency', v.recency));
		out(row('rfm_logistic', v.rfm_logistic));
		out(`saved ${version} in ${cfg.modelsDir} (${f.trainSeconds.toFixed(1)} s); it is a challenger until \`promote ${version}\``);
		return 0;
	}
};
