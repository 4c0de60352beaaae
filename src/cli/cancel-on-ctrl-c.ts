// Ctrl-C in a command whose run is recorded (cx train, cx backtest): the first one cancels the run through
// its own cancel function, which records it as cancelled, then exits 130; a second one exits at once, since
// the first may find the run storing its result (then the cancel is refused and the run ends by itself).
import { onCtrlC } from './ctrl-c';

export interface CtrlCHandling {
	/** Stops handling Ctrl-C (the run has ended). */
	stop: () => void;
	/**
	 * For a run that ended because it was cancelled: waits for the cancel to be recorded, which then exits 130.
	 * The run ends as soon as its work is interrupted, often before its cancellation is written.
	 */
	cancelled: () => Promise<void>;
}

export function cancelOnCtrlC(o: {
	command: string;
	cancel: () => Promise<{ ok: true } | { ok: false; error: string }>;
	/** What the user is told once the run is recorded as cancelled. */
	cancelled: string;
	err: (line: string) => void;
}): CtrlCHandling {
	let pending: Promise<void> | null = null;
	const onInterrupt = () => {
		pending = o.cancel().then((c) => {
			if (!c.ok) {
				o.err(`cx ${o.command}: not cancelled: ${c.error} (Ctrl-C again to stop at once)`);
				return;
			}
			o.err(`cx ${o.command}: interrupted; ${o.cancelled}`);
			process.exit(130);
		});
	};
	const stop = onCtrlC(onInterrupt, () => process.exit(130));
	return {
		stop,
		cancelled: async () => {
			await pending;
		}
	};
}
