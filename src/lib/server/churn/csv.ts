// The backtest's scores file: `customer_id,score`, one row per customer of the population.
import { writeFileSync } from 'node:fs';
import { ensureParentDir } from '../config';

function cell(s: string): string {
	return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function formatScoresCsv(rows: { customer_id: string; score: number }[]): string {
	return ['customer_id,score', ...rows.map((r) => `${cell(r.customer_id)},${r.score.toFixed(6)}`)].join('\n') + '\n';
}

export function writeScoresCsv(file: string, rows: { customer_id: string; score: number }[]): void {
	ensureParentDir(file);
	writeFileSync(file, formatScoresCsv(rows));
}

export function writeJson(file: string, value: unknown): void {
	ensureParentDir(file);
	writeFileSync(file, JSON.stringify(value, null, 2) + '\n');
}
