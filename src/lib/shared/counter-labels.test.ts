import { describe, expect, it } from 'vitest';
import { MINUTE_COUNTERS } from '$lib/server/metrics/definitions';
import { counterLabel, counterValue } from './counter-labels';

describe('counter labels', () => {
	it('names each counter in words with its unit; money in pounds', () => {
		expect(counterLabel('nps_n')).toBe('NPS responses');
		expect(counterLabel('csat_good')).toBe('CSAT ratings of 4–5');
		expect(counterLabel('first_replies_measured')).toBe('First replies measured');
		expect(counterValue('at_risk_revenue', 50_256.05)).toBe('£50,256.05 a month');
		expect(counterValue('purchase_value', 1234.5)).toBe('£1,234.50');
		expect(counterValue('tenure_days_sum', 12_345)).toBe('12,345 d');
		expect(counterValue('nps_n', 1234)).toBe('1,234');
		// Every counter a rollup sums has its own words (no "nps n" left).
		for (const k of MINUTE_COUNTERS) expect(counterLabel(k)).not.toBe(k.replaceAll('_', ' '));
	});
});
