// The fixed churn probability the rule editor offers when a churn rule is switched from a band to a
// probability. 70 % is far above every customer where few churn (the champion's high band started at
// 16.1 %), so a rule saved with it never fired; where the champion's high band starts is a threshold
// that fires for about the customers the at-risk tiles count.
import { readManifest, readMetadata } from '../churn/registry';
import { savedBands } from '../churn/risk-bands';

/** Without a champion (or one whose bands cannot be read). */
export const FALLBACK_MIN_PROBABILITY = 0.7;

/**
 * Where the champion's high band starts, rounded up to 0.1 % (the editor's step): rounded down, the rule
 * would also fire for customers just below the band. FALLBACK_MIN_PROBABILITY when there is no champion
 * or its metadata holds no bands.
 */
export function defaultMinProbability(modelsDir: string): number {
	try {
		const champion = readManifest(modelsDir).champion;
		const bands = champion ? savedBands(readMetadata(modelsDir, champion).bands) : null;
		if (!bands) return FALLBACK_MIN_PROBABILITY;
		// A bound of 0.14200000000000002 (floating-point noise on 14.2 %) is 14.2 %, not 14.3 %.
		return Math.min(1, Math.ceil(bands.high * 1000 - 1e-9) / 1000);
	} catch {
		// An unreadable registry: the Models page says what is wrong; the editor still opens.
		return FALLBACK_MIN_PROBABILITY;
	}
}
