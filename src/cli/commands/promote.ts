import { userInfo } from 'node:os';
import { config } from '../../lib/server/config';
import { promoteWarningsFor } from '../../lib/server/churn/models-overview-promote';
import { listVersions, promoteModel } from '../../lib/server/churn/registry';
import { UsageError, type Command } from '../command';

export const promoteCommand: Command = {
	name: 'promote',
	usage: 'promote VERSION [--force]',
	summary: 'make a model version the champion (refused unless it beats both baselines, or --force)',
	options: { force: { type: 'boolean', default: false } },
	positionals: ['VERSION'],
	db: 'none',
	async run({ positionals, values, out, err }) {
		const version = positionals[0];
		if (!version) throw new UsageError('VERSION is required (see `models`)');
		const dir = config().modelsDir;
		// Against the champion it replaces, so read before promoting; the Models page's dialog says the same.
		const warnings = listVersions(dir).includes(version) ? promoteWarningsFor(dir, version) : [];
		const r = promoteModel(dir, version, { by: userInfo().username, force: values.force === true });
		if (!r.ok) {
			err(`cx promote: ${r.error}`);
			return 1;
		}
		for (const w of warnings) err(`warning: ${w.message}`);
		out(`${version} is now the champion`);
		return 0;
	}
};
