// The sentence the Settings page's tolerance section shows about the background debt recompute
// (alerts/debt-recompute-job.ts), from its latest `debt-recompute` live event.
import type { DebtRecomputePayload } from './live-events';

const n = (x: number) => x.toLocaleString('en-US');

function whose(segments: string[] | null): string {
	if (segments === null) return 'every segment';
	return segments.length === 1 ? `segment ${segments[0]}` : `segments ${segments.join(', ')}`;
}

export function debtRecomputeText(p: DebtRecomputePayload): string {
	switch (p.state) {
		case 'running':
			return p.total === null
				? `Recomputing experience debt (${whose(p.segments)}): counting customers…`
				: `Recomputing experience debt (${whose(p.segments)}): ${n(p.done)} of ${n(p.total)} customers`;
		case 'done':
			return `Experience debt recomputed with the saved settings for ${n(p.done)} customers (${whose(p.segments)}).`;
		case 'failed':
			return `Recomputing experience debt (${whose(p.segments)}) failed after ${n(p.done)} customers: ${p.message ?? 'unknown error'}. Save again, or run npm run cx -- recompute-debt.`;
	}
}
