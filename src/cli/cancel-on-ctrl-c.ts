// Ctrl-C in a command whose run is recorded (cx train, cx backtest): the first one cancels the run through
// its own cancel function, which records it as cancelled, then exits 130; a second one exits at once, since
// the first may find the run storing its result (then the cancel is refused and the run ends by itself).
export function cancelOnCtrlC(o: {
	command: string;
	cancel: () => Promise<{ ok: true } | { ok: false; error: string }>;
	/** What the user is told once the run is recorded as cancelled. */
	cancelled: string;
	err: (line: string) => void;
}): () => void {
	let interrupted = false;
	const onInterrupt = () => {
		if (interrupted) process.exit(130);
		interrupted = true;
		void o.cancel().then((c) => {
			if (!c.ok) {
				o.err(`cx ${o.command}: not cancelled: ${c.error} (Ctrl-C again to stop at once)`);
				return;
			}
			o.err(`cx ${o.command}: interrupted; ${o.cancelled}`);
			process.exit(130);
		});
	};
	process.on('SIGINT', onInterrupt);
	return () => process.off('SIGINT', onInterrupt);
}
