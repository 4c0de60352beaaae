// The backtest's scores file: `customer_id,score`, one row per customer of the population.
import { ensureParentDir } from '../config';
import { writeFilesAtomic } from '../write-file-atomic';

function cell(s: string): string {
	return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function formatScoresCsv(rows: { customer_id: string; score: number }[]): string {
	return ['customer_id,score', ...rows.map((r) => `${cell(r.customer_id)},${r.score.toFixed(6)}`)].join('\n') + '\n';
}

/**
 * `cx backtest`'s two outputs, replacing earlier ones (outside tools re-run it with the same paths): both
 * are written whole before either replaces its old file, so a run that fails while writing leaves the
 * earlier pair as it was, never a cut-off file nor the new scores beside the old report.
 */
export function writeBacktestOutputs(o: { scoresFile: string; scores: { customer_id: string; score: number }[]; reportFile: string; report: unknown }): void {
	ensureParentDir(o.scoresFile);
	ensureParentDir(o.reportFile);
	writeFilesAtomic([
		{ path: o.scoresFile, data: formatScoresCsv(o.scores) },
		{ path: o.reportFile, data: JSON.stringify(o.report, null, 2) + '\n' }
	]);
}
