import { describe, expect, it } from 'vitest';
import { fittedAtText, judgedOnText } from './backtest-windows';

describe('backtest windows in words', () => {
	it('a 7-day backtest at 2026-11-29 fits on features up to 2026-11-22 and judges the 7 days after the cutoff', () => {
		expect(fittedAtText('2026-11-29', 7)).toBe(
			'Fitted at T − H: features up to 2026-11-22, churn labelled 2026-11-23 to 2026-11-29.'
		);
		expect(judgedOnText('2026-11-29', 7)).toBe('judged on 2026-11-30 to 2026-12-06 (7 days)');
		expect(judgedOnText('2026-11-29', 1)).toBe('judged on 2026-11-30 to 2026-11-30 (1 day)');
	});
});
