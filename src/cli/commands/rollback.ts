import { userInfo } from 'node:os';
import { config } from '../../lib/server/config';
import { rollbackModel } from '../../lib/server/churn/registry';
import type { Command } from '../command';

export const rollbackCommand: Command = {
	name: 'rollback',
	usage: 'rollback',
	summary: 'make the previous champion the champion again',
	options: {},
	db: 'none',
	async run({ out, err }) {
		const r = rollbackModel(config().modelsDir, { by: userInfo().username });
		if (!r.ok) {
			err(`cx rollback: ${r.error}`);
			return 1;
		}
		out(`${r.value.champion} is the champion again`);
		return 0;
	}
};
