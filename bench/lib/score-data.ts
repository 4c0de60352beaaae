// The synthetic scoring population of bench:score and bench/score-read.ts: n customers with 64 events
// each (8 types, 6 channels, purchases with values, CSAT ratings), written straight into `events`.
import type { Db } from '../../src/lib/server/db';

export async function fillScoringEvents(db: Db, n: number): Promise<void> {
	if (!Number.isInteger(n) || n < 1) throw new Error(`customers must be a positive integer, got ${n}`);
	await db.run(
		`INSERT INTO events
		 SELECT 'e' || c || '-' || k, 'c' || lpad(CAST(c AS VARCHAR), 7, '0'),
		        TIMESTAMP '2025-01-01' + to_seconds(CAST((c % 89) * 86400 + k * 86400 * 2 + (c * 7 + k * 13) % 80000 AS BIGINT)),
		        ['web','app','email','phone','chat','store'][1 + (c + k) % 6],
		        ['visit','purchase','visit','support_opened','survey_csat','visit','complaint','purchase'][1 + (c * 3 + k) % 8],
		        CASE WHEN (c * 3 + k) % 8 IN (1, 7) THEN 10 + (c * k) % 200 END,
		        CASE WHEN (c * 3 + k) % 8 = 4 THEN 1 + (c + k) % 5 END,
		        NULL, NULL, NULL, 'bench', TIMESTAMP '2025-06-01'
		 FROM range($n) r1(c), range(64) r2(k)`,
		{ n }
	);
}
