import { describe, expect, it } from 'vitest';
import { fmtMetricsSource } from './format';

describe('a version’s metrics source', () => {
	it('groups its customer count as the versions table does', () => {
		expect(fmtMetricsSource('validation snapshot 2026-11-07 (4507 customers; early stopping and calibration were fitted there)')).toBe(
			'validation snapshot 2026-11-07 (4,507 customers; early stopping and calibration were fitted there)'
		);
		// Already grouped (versions saved from now on), or small: unchanged.
		expect(fmtMetricsSource('validation snapshot 2026-11-07 (4,507 customers; …)')).toBe('validation snapshot 2026-11-07 (4,507 customers; …)');
		expect(fmtMetricsSource('validation snapshot 2026-06-01 (400 customers; …)')).toBe('validation snapshot 2026-06-01 (400 customers; …)');
	});
});
