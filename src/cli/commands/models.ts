import { existsSync } from 'node:fs';
import { config } from '../../lib/server/config';
import { DatabaseInUseError, getDb } from '../../lib/server/db';
import { hasMetrics, listVersions, readManifest, readMetadata, type MetricSummary } from '../../lib/server/churn/registry';
import { listTrainRuns } from '../../lib/server/churn/train-runs';
import { savedBands } from '../../lib/server/churn/risk-bands';
import { chance } from '../../lib/shared/format';
import { lastDayBefore } from '../../lib/shared/cutoff-range';
import { fmt3, fmt4, fmtLift } from '../../lib/components/models/format';
import { failLostRuns } from '../lost-runs';
import type { Command } from '../command';

/** A metadata.json may lack fields (written by hand, or by an older version): such a cell shows "–". */
/** Where the high risk band starts, and the share of validation customers it holds ("fixed" for old versions). */
function highBand(saved: unknown): string {
	const b = savedBands(saved);
	if (!b) return '–';
	const share = b.validation_share?.high;
	return `${chance(b.high)} (${share !== undefined ? `riskiest ${Math.round(share * 100)} %` : 'fixed'})`;
}
const cell = (v: unknown): string => (typeof v === 'number' || (typeof v === 'string' && v !== '') ? String(v) : '–');
/** A figure rounded as the Models page rounds it (components/models/format.ts), so the two read the same. */
const num = (v: unknown, f: (x: number) => string): string => (typeof v === 'number' && Number.isFinite(v) ? f(v) : '–');
const validationCutoff = (asOf: unknown): string => (typeof asOf === 'string' && Number.isFinite(Date.parse(asOf)) ? lastDayBefore(asOf) : '–');
/** metadata.json's created_at is UTC (toISOString); said, as everywhere else times are shown. */
const created = (v: unknown): string => (typeof v === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(v) ? `${v.slice(0, 16).replace('T', ' ')} UTC` : cell(v));

/**
 * "last training run failed (…): why", when the newest recorded run failed; null otherwise, and while a
 * server holds the database (its Models page shows the run then). The registry alone needs no database.
 */
async function lastFailureLine(dbPath: string, err: (line: string) => void): Promise<string | null> {
	if (!existsSync(dbPath)) return null;
	try {
		const db = await getDb(dbPath);
		// This process holds the file: a run still `running` was left by one that was killed.
		await failLostRuns(db);
		const [newest] = await listTrainRuns(db, 1);
		if (newest?.state !== 'failed') return null;
		return `last training run failed (${(newest.finished_at ?? newest.started_at).slice(0, 16).replace('T', ' ')} UTC, started by ${newest.started_by}): ${newest.error ?? 'no reason recorded'}`;
	} catch (e) {
		if (!(e instanceof DatabaseInUseError)) err(`note: training runs not read from ${dbPath}: ${e instanceof Error ? e.message : String(e)}`);
		return null;
	}
}

export const modelsCommand: Command = {
	name: 'models',
	usage: 'models',
	summary: 'list churn model versions with their metrics against the baselines (* = champion)',
	options: {},
	db: 'none',
	async run({ out, err }) {
		const dir = config().modelsDir;
		const versions = listVersions(dir);
		const failure = await lastFailureLine(config().dbPath, err);
		if (!versions.length) {
			out(`no models in ${dir} yet (train one with \`npm run cx -- train\`)`);
			if (failure) out(failure);
			return 0;
		}
		const champion = readManifest(dir).champion;
		// The validation split as a cutoff (the last day of its features), the day `cx backtest --cutoff` takes for it.
		// Last: scripts read the older columns by position, so a new column goes at the end.
		out(['', 'version', 'created', 'definition', 'auc', 'pr_auc', 'brier', 'ece', 'lift@10', 'auc recency', 'auc rfm', 'beats', 'champion then (auc, same snapshot)', 'high risk from', 'validation cutoff'].join('\t'));
		const incomplete: string[] = [];
		for (const v of versions) {
			const m = readMetadata(dir, v);
			const metrics: Partial<MetricSummary> = m.metrics ?? {};
			const b = m.baseline_metrics;
			const complete = hasMetrics(m);
			if (!complete) incomplete.push(v);
			const beats = complete ? (m.metrics.auc > Math.max(b.recency.auc, b.rfm_logistic.auc) ? 'yes' : 'no') : '–';
			const cc = m.champion_comparison;
			const definition = m.definition ? `${m.definition}/${cell(m.horizon_days)}d` : '–';
			out(
				[v === champion ? '*' : '', v, created(m.created_at), definition]
					.concat(num(metrics.auc, fmt3), num(metrics.pr_auc, fmt3), num(metrics.brier, fmt4), num(metrics.ece, fmt4), num(metrics.lift_at_10, fmtLift), num(b?.recency?.auc, fmt3), num(b?.rfm_logistic?.auc, fmt3))
					.concat(beats, cc ? `${cc.version} ${num(cc.metrics?.auc, fmt3)}` : '-', highBand(m.bands), validationCutoff(m.data_window?.validation_as_of))
					.join('\t')
			);
		}
		if (incomplete.length) err(`note: ${incomplete.join(', ')}: metadata.json without metrics, shown as –`);
		if (failure) out(failure);
		return 0;
	}
};
