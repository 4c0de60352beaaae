// Starts the process's one ticker (tiles over SSE) at server start.
import { config } from '../config';
import type { StartupStep } from '../startup';
import { startTicker } from './ticker';

export const liveTickerStep: StartupStep = {
	name: 'live ticker',
	run: async (db) => {
		const ticker = startTicker(db, config().tickMs, {
			inactivityDays: config().churnInactivityDays,
			lostBy: 'either'
		});
		process.once('sveltekit:shutdown', () => ticker.stop());
	}
};
