import { describe, expect, it } from 'vitest';
import type { Tile } from '$lib/shared/live-events';
import { alertValueText, rowStateText, tileAriaLabel, tileBadge, tileValueText, unjudgedNote } from './tile-words';

const tile = (over: Partial<Tile>): Tile => ({
	id: 'csat',
	label: 'CSAT',
	unit: 'percent',
	direction: 'up',
	value: 87.5,
	previous: 85,
	delta: 2.5,
	state: 'ok',
	thresholds: { warn: 80, critical: 70 },
	sparkline: [],
	secondary: null,
	counts: {},
	note: null,
	...over
});

describe('tile badge', () => {
	it('gives a metric with thresholds its verdict and a metric without none', () => {
		expect(tileBadge(tile({}))).toEqual({ tone: 'ok', text: 'OK' });
		expect(tileBadge(tile({ state: 'critical' }))).toEqual({ tone: 'critical', text: 'Critical' });
		// The API says state ok for at-risk customers (no thresholds): no "OK", no green.
		expect(tileBadge(tile({ id: 'at_risk_customers', thresholds: null }))).toEqual({
			tone: 'neutral',
			text: null
		});
		expect(tileBadge(tile({ thresholds: null, state: 'nodata', value: null }))).toEqual({
			tone: 'nodata',
			text: 'No data'
		});
		expect(rowStateText('ok', null)).toBeNull();
		expect(rowStateText('warn', { warn: 1, critical: 2 })).toBe('Warning');
	});
});

describe('a value the thresholds do not judge', () => {
	it('says "Not judged" and why, in the badge, the accessible name and a breakdown row, never by colour alone', () => {
		const note = 'too few to judge (1 solved ticket; 10 needed)';
		const fcr = tile({ id: 'fcr', label: 'First-contact resolution', value: 0, delta: null, previous: null, state: 'unjudged', note });
		expect(tileBadge(fcr)).toEqual({ tone: 'unjudged', text: 'Not judged' });
		expect(unjudgedNote(fcr)).toBe(note);
		expect(tileAriaLabel(fcr)).toBe(`First-contact resolution: 0 %, Not judged (${note})`);
		expect(rowStateText('unjudged', fcr.thresholds, note)).toBe(`Not judged: ${note}`);
		// Any other note (a snapshot, a reason for no data) is not a reason for no verdict.
		expect(unjudgedNote(tile({ note: 'current snapshot' }))).toBeNull();
	});
});

describe('tile value and accessible name', () => {
	it('says per month for at-risk revenue and the scale of a score; no OK without thresholds', () => {
		const revenue = tile({
			id: 'at_risk_revenue',
			label: 'At-risk revenue',
			unit: 'currency',
			value: 50_256.05,
			delta: null,
			previous: null,
			thresholds: null
		});
		expect(tileValueText(revenue)).toBe('£50.3 k/month');
		expect(tileAriaLabel(revenue)).toBe('At-risk revenue: £50.3 k/month');
		expect(tileValueText({ ...revenue, value: null })).toBe('—');
		const active = tile({
			id: 'active_customers',
			label: 'Active customers',
			unit: 'count',
			value: 3108,
			delta: -12,
			thresholds: null,
			direction: 'up'
		});
		expect(tileAriaLabel(active)).toBe('Active customers: 3,108, −12 vs previous window (worse)');
		const nps = tile({
			id: 'nps',
			label: 'NPS',
			unit: 'score',
			value: 9,
			delta: 3,
			thresholds: { warn: 20, critical: 0 },
			state: 'warn'
		});
		expect(tileValueText(nps)).toBe('9');
		expect(tileAriaLabel(nps)).toBe(
			'NPS: 9 (score from −100 to 100), Warning, +3 pts vs previous window (better)'
		);
		expect(tileAriaLabel(tile({ value: null, delta: null, state: 'nodata' }))).toBe('CSAT: —, No data');
	});
});

describe('firing alert value', () => {
	it('gives a firing alert its tile value text, per month for at-risk revenue (the alert strip on walls)', () => {
		expect(alertValueText('at_risk_revenue', 50256.05, 'currency')).toBe(tileValueText({ id: 'at_risk_revenue', value: 50256.05, unit: 'currency' }));
		expect(alertValueText('at_risk_revenue', 50256.05, 'currency')).toMatch(/\/month$/);
		expect(alertValueText('csat', 87.5, 'percent')).toBe(tileValueText({ id: 'csat', value: 87.5, unit: 'percent' }));
		expect(alertValueText('gone', 3, undefined)).toBe('3');
		expect(alertValueText('gone', null, undefined)).toBe('—');
	});
});
