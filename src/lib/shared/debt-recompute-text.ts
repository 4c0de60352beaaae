// The sentence the Settings page's tolerance section shows about the background debt recompute
// (alerts/debt-recompute-job.ts), from its latest `debt-recompute` live event, and the few of those
// sentences a screen reader is told (a frame arrives every 1,000 customers: ~50 on 50,000).
import type { DebtRecomputePayload } from './live-events';

const n = (x: number) => x.toLocaleString('en-US');

function whose(segments: string[] | null): string {
	if (segments === null) return 'every segment';
	return segments.length === 1 ? `segment ${segments[0]}` : `segments ${segments.join(', ')}`;
}

const waitingText = (waiting: readonly string[] | undefined) =>
	(waiting ?? []).map((w) => (w === '*' ? ' Every segment: waiting.' : ` Segment ${w}: waiting.`)).join('');

/** "13:27 UTC" of the frame's time: a second save's end line differs from the first's. */
const clock = (iso: string) => `${iso.slice(11, 16)} UTC`;

export function debtRecomputeText(p: DebtRecomputePayload): string {
	switch (p.state) {
		case 'running': {
			const again = p.restarted ? 'Saved again: starting over with the newest settings. ' : '';
			const where =
				p.total === null
					? `Recomputing experience debt (${whose(p.segments)}): counting customers…`
					: `Recomputing experience debt (${whose(p.segments)}): ${n(p.done)} of ${n(p.total)} customers.`;
			return `${again}${where}${waitingText(p.waiting)}`;
		}
		case 'done':
			return `Experience debt recomputed with the saved settings for ${n(p.done)} customers (${whose(p.segments)}) at ${clock(p.at)}.${waitingText(p.waiting)}`;
		case 'failed':
			return `Recomputing experience debt (${whose(p.segments)}) failed after ${n(p.done)} customers: ${p.message ?? 'unknown error'}. Save again, or run npm run cx -- recompute-debt.`;
	}
}

/**
 * What a screen reader is told on the frame `p` after `prev`: a start, a restart, a failure or the end;
 * null for a mere step of progress (the visible line still updates).
 */
export function debtRecomputeAnnouncement(prev: DebtRecomputePayload | null, p: DebtRecomputePayload): string | null {
	if (p.state !== 'running') return debtRecomputeText(p);
	const sameRun = prev?.state === 'running' && whose(prev.segments) === whose(p.segments);
	if (!sameRun) return `Recomputing experience debt (${whose(p.segments)}) started.`;
	if (p.restarted && !prev.restarted) return `Saved again: recomputing experience debt (${whose(p.segments)}) starts over with the newest settings.`;
	return null;
}
