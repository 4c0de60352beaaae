// Who ends a long model run (a challenger's training, a backtest): the run itself (storing its result,
// recording its failure), a cancel, or the server stopping, whichever claims it first. Every claim is
// synchronous, so a cancelled run never stores a result and a run that is storing one is never recorded
// as cancelled.
export class RunControl {
	private readonly abort = new AbortController();
	private claimed = false;
	private by: string | null = null;
	private stopped = false;

	get signal(): AbortSignal {
		return this.abort.signal;
	}

	get cancelledBy(): string | null {
		return this.by;
	}

	/** Ended because its server is stopping (interrupt), not by anyone's cancel. */
	get interrupted(): boolean {
		return this.stopped;
	}

	/** The run's own ending; false when a cancel or a stop came first. */
	finish(): boolean {
		return this.claim();
	}

	/** Claims the ending for a cancel and aborts the run's work; false when the run is already ending. */
	cancel(by: string): boolean {
		if (!this.claim()) return false;
		this.by = by;
		this.abort.abort();
		return true;
	}

	/** Like cancel, for a server that is stopping: nobody cancelled the run. */
	interrupt(): boolean {
		if (!this.claim()) return false;
		this.stopped = true;
		this.abort.abort();
		return true;
	}

	private claim(): boolean {
		if (this.claimed) return false;
		this.claimed = true;
		return true;
	}
}
