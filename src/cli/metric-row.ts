// One score's line in the metric tables of `cx train` and `cx backtest`, rounded by the Models page's own
// formatters (components/models/format.ts), as `cx models` is: the same model reads the same everywhere.
// The report files keep full precision.
import { fmt3, fmt4, fmtLift } from '../lib/components/models/format';

export interface MetricFigures {
	auc: number;
	pr_auc: number;
	brier: number;
	ece: number;
	lift_at_10: number;
}

/** "  model          auc 0.758  pr_auc 0.712  brier 0.1834  ece 0.0010  lift@10% 3.09×" */
export const metricRow = (name: string, m: MetricFigures): string =>
	`  ${name.padEnd(14)} auc ${fmt3(m.auc)}  pr_auc ${fmt3(m.pr_auc)}  brier ${fmt4(m.brier)}  ece ${fmt4(m.ece)}  lift@10% ${fmtLift(m.lift_at_10)}`;
