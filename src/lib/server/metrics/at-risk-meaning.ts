// What "at risk" means right now, for the at-risk metric pages: executives may not open the Models page,
// and a band set from the champion's validation customers ("high" from 16.1 %) is not self-explanatory.
import { readManifest, readMetadata } from '../churn/registry';
import { savedBands } from '../churn/risk-bands';
import { describeBands } from '../../shared/risk-bands-text';

export const AT_RISK_METRICS: readonly string[] = ['at_risk_customers', 'at_risk_revenue'];

/** One sentence naming the champion and its high band, or null (other metric, no champion, unreadable registry). */
export function atRiskMeaning(modelsDir: string, metricId: string): string | null {
	if (!AT_RISK_METRICS.includes(metricId)) return null;
	try {
		const champion = readManifest(modelsDir).champion;
		if (!champion) return null;
		const bands = savedBands(readMetadata(modelsDir, champion).bands);
		if (!bands) return null;
		return `At risk = in the high band of the champion churn model ${champion}. Its bands: ${describeBands(bands)}.`;
	} catch {
		// The tiles say what is wrong with scores; this sentence is only an explanation.
		return null;
	}
}
