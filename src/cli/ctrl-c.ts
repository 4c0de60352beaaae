// Ctrl-C in a terminal reaches a cx command twice: the terminal signals the whole foreground process group
// (npm, tsx's parent process, the command itself), and tsx's parent relays its copy to the command. Two
// SIGINTs within a moment are therefore one press; only a later one means "again". Until stop() the
// command keeps a listener, so a copy arriving after the first press is not left to Node's (or tsx's)
// default handling, which ended `cx demo --live` with 130 before it could stop cleanly.
const SAME_PRESS_MS = 500;

/** Calls onFirst at the first Ctrl-C and onAgain at a later, separate one; returns stop. */
export function onCtrlC(onFirst: () => void, onAgain: () => void): () => void {
	let firstAt: number | null = null;
	const listener = () => {
		const now = Date.now();
		if (firstAt === null) {
			firstAt = now;
			onFirst();
		} else if (now - firstAt >= SAME_PRESS_MS) onAgain();
	};
	process.on('SIGINT', listener);
	return () => process.off('SIGINT', listener);
}
