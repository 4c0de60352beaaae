import { config } from '../../lib/server/config';
import { getDb } from '../../lib/server/db';
import { scoreAll, scoreCustomers, staleCustomers } from '../../lib/server/churn/score';
import type { Command } from '../command';

export const scoreCommand: Command = {
	name: 'score',
	usage: 'score [--all]',
	summary: 'score customers with new events (or --all) with the champion model',
	options: { all: { type: 'boolean', default: false } },
	db: 'existing',
	async run({ values, out, err }) {
		const cfg = config();
		const db = await getDb(cfg.dbPath);
		if (values.all) {
			const r = await scoreAll(db, { modelsDir: cfg.modelsDir });
			if (!r.ok) {
				err(`cx score: ${r.error}`);
				return 1;
			}
			const s = r.value;
			out(`scored ${s.scored} customers with ${s.version} as of ${s.as_of} in ${s.seconds.toFixed(1)} s (${s.per_second}/s); high ${s.bands.high}, medium ${s.bands.medium}, low ${s.bands.low}; reasons for the top ${s.explained}`);
			return 0;
		}
		const ids = await staleCustomers(db);
		const r = await scoreCustomers(db, ids, { modelsDir: cfg.modelsDir });
		if (!r.ok) {
			err(`cx score: ${r.error}`);
			return 1;
		}
		out(`scored ${r.value.length} customer(s) with new events${r.value[0] ? ` with ${r.value[0].model_version}` : ''}`);
		return 0;
	}
};
