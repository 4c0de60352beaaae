// Rules a fresh installation starts with (seeded once; deleting them later is respected).
import type { Db } from '../db';
import { importRules, RULES_EXPORT_VERSION } from './rules';

export const DEFAULT_RULES = [
	{
		id: 'tolerance-crossed',
		name: 'Experience debt over the tolerance limit',
		definition: { kind: 'tolerance' }
	},
	{
		id: 'churn-high',
		name: 'Churn risk high (the champion model’s high band)',
		definition: { kind: 'churn', min_risk_band: 'high' }
	},
	{
		id: 'high-value-silent',
		name: 'High-value customer silent for 30 days',
		definition: { kind: 'silent', min_monthly_value: 200, days: 30 }
	},
	{
		id: 'csat-low',
		name: 'CSAT below 70 %',
		definition: {
			kind: 'metric',
			metric: 'csat',
			comparator: '<',
			threshold: 70,
			recovery_threshold: 75,
			pending_s: 300,
			keep_firing_s: 300,
			nodata: 'keep_last',
			// As the CSAT tile (verdict.ts MIN_SAMPLE): one low rating in a quiet day is not "CSAT below 70 %".
			// Seeded databases only: a database seeded before keeps its rule as it is.
			min_sample: 10
		}
	},
	{
		id: 'complaints-high',
		name: 'Complaint rate above 5 %',
		definition: {
			kind: 'metric',
			metric: 'complaint_rate',
			comparator: '>',
			threshold: 5,
			recovery_threshold: 4,
			pending_s: 300,
			keep_firing_s: 300,
			nodata: 'keep_last',
			// One complaint among n interactions is 100/n %: above 5 % for any n under 20, so with fewer than
			// 20 a single complaint in a quiet scope would fire it. From 20 on one complaint is at most 5 %
			// (not above) and it takes a second (10 %), a pattern rather than one unhappy customer. Tied to the
			// threshold: 100 / 5. Seeded databases only, as for CSAT.
			min_sample: 20
		}
	}
];

const SEEDED_KEY = 'alerts.default_rules_seeded';

export async function seedDefaultRules(db: Db): Promise<boolean> {
	const done = await db.one<{ n: number }>('SELECT count(*)::INTEGER AS n FROM app_settings WHERE key = $1', [
		SEEDED_KEY
	]);
	if (done && done.n > 0) return false;
	const r = await importRules(db, { version: RULES_EXPORT_VERSION, rules: DEFAULT_RULES });
	if (!r.ok) throw new Error(`default alert rules are invalid: ${JSON.stringify(r.errors)}`);
	await db.run(`INSERT OR REPLACE INTO app_settings (key, value) VALUES ($1, 'true'::JSON)`, [SEEDED_KEY]);
	return true;
}
