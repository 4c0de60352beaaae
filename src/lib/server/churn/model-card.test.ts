import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { BacktestReport } from './backtest';
import { DATA_NOTES, renderModelCard } from './model-card';

const REPORT = 'models/churn/reports/online-retail-2011-09-09.json';
const report = JSON.parse(readFileSync(REPORT, 'utf8')) as BacktestReport;
const ONLINE_RETAIL_COMMAND =
	'npm run cx -- import /work/shared/data/online-retail/online-retail.csv.gz --preset online-retail --db data/online-retail.duckdb && npm run cx -- backtest --cutoff 2011-09-09 --horizon-days 91 --scores-out scores.csv --report-out models/churn/reports/online-retail-2011-09-09.json --db data/online-retail.duckdb';

describe('model card', () => {
	it('docs/model-card.md is exactly what the command renders from the committed report', () => {
		const card = renderModelCard({
			report,
			command: ONLINE_RETAIL_COMMAND,
			reportPath: REPORT,
			outPath: 'docs/model-card.md',
			notes: DATA_NOTES['online-retail'],
			goalMargin: 0.03
		});
		expect(card).toBe(readFileSync('docs/model-card.md', 'utf8'));
		// The judged days as the Models page and `cx backtest` name them (it said "2011-09-10 … 2011-12-10 (exclusive)").
		expect(card).toContain('scored with features up to T; judged on 2011-09-10 … 2011-12-09 (91 days).');
	});

	it('a card without a data write-up says nothing about Online Retail, and names its own definition and output', () => {
		const card = renderModelCard({
			report: { ...report, churn_definition: 'cancellation' },
			command: 'npm run cx -- backtest …',
			reportPath: '/tmp/r.json',
			outPath: '/tmp/card.md',
			notes: null,
			goalMargin: 0.03
		});
		expect(card).not.toMatch(/Online Retail|wholesaler|gifts|What was tried/);
		expect(card).toContain('churn definition: **cancellation** (a cancellation in the label window; only customers with a live subscription at T are scored)');
		expect(card).toContain('--report /tmp/r.json --out /tmp/card.md`');
		expect(card).toContain('this card has no write-up of it');
	});
});
