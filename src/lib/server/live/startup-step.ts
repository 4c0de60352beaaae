// Starts the process's one ticker (tiles over SSE) at server start; it stops with the other writers
// when the server stops (shutdown.ts).
import { config } from '../config';
import type { StartupStep } from '../startup';
import { startTicker } from './ticker';
import { endAllStreams } from './sse';
import { log } from '../log';
import { onShutdown } from '../shutdown';

export const liveTickerStep: StartupStep = {
	name: 'live ticker',
	run: async (db) => {
		const ticker = startTicker(db, config().tickMs, {
			inactivityDays: config().churnInactivityDays,
			lostBy: 'either'
		});
		onShutdown({ name: 'live ticker', phase: 'writers', stop: () => ticker.stop() });
		// adapter-node's own SIGTERM/SIGINT handler closes the server, which waits for open responses:
		// event streams must end first, or every stop with a viewer connected takes SHUTDOWN_TIMEOUT.
		const stopping = (signal: NodeJS.Signals) => {
			process.off('SIGTERM', stopping);
			process.off('SIGINT', stopping);
			const n = endAllStreams();
			if (n > 0) log.info(`live: ended ${n} event stream(s) for shutdown; viewers reconnect to the next process`);
			// A listener turns off Node's default exit on the signal: where nothing else handles it (vite dev,
			// the in-process bench), raise it again so the process still stops.
			if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
		};
		process.on('SIGTERM', stopping);
		process.on('SIGINT', stopping);
	}
};
