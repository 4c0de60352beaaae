// The band of each past score: score_history keeps the probability and the model version, not the
// band (a point is written only when the score moves, churn/score.ts). The band is the one the scorer
// gave: that version's bands as it scores with them (risk-bands.ts scoringBands).
import { isVersionName, readMetadata } from '../churn/registry';
import { riskBand, scoringBands, type RiskBands } from '../churn/risk-bands';
import type { ScoreView } from './profile-types';

/**
 * `history` with risk_band filled in from each point's model version. Each version's metadata is read
 * once per call; a point without a version, or from a version the registry no longer holds (or cannot
 * read), keeps risk_band null rather than a band another model would give.
 */
export function withHistoryBands(modelsDir: string, history: readonly ScoreView[]): ScoreView[] {
	const byVersion = new Map<string, RiskBands | null>();
	const bandsOf = (version: string): RiskBands | null => {
		if (byVersion.has(version)) return byVersion.get(version)!;
		let bands: RiskBands | null = null;
		try {
			if (isVersionName(version)) bands = scoringBands(readMetadata(modelsDir, version).bands);
		} catch {
			bands = null;
		}
		byVersion.set(version, bands);
		return bands;
	};
	return history.map((s) => {
		if (s.risk_band !== null || s.model_version === null || !Number.isFinite(s.probability)) return s;
		const bands = bandsOf(s.model_version);
		return bands ? { ...s, risk_band: riskBand(s.probability, bands) } : s;
	});
}
