// The tile as the wall and the Overview render it (both through TileGrid → MetricTile), server-side.
import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import type { Tile } from '$lib/shared/live-events';
import MetricTile from './MetricTile.svelte';

const fcr: Tile = {
	id: 'fcr',
	label: 'First-contact resolution',
	unit: 'percent',
	direction: 'up',
	value: 0,
	previous: 50,
	delta: -50,
	state: 'unjudged',
	thresholds: { warn: 70, critical: 55 },
	sparkline: [],
	secondary: null,
	counts: { tickets_fcr: 0, tickets_solved: 1 },
	note: 'too few to judge (1 solved ticket; 10 needed)'
};

describe('MetricTile', () => {
	for (const wall of [false, true])
		it(`shows a value without a verdict with the reason in text${wall ? ' (wall)' : ''}`, () => {
			const { body } = render(MetricTile, { props: { tile: fcr, wall } });
			expect(body).toContain('data-state="unjudged"');
			expect(body).toContain('data-tone="unjudged"');
			expect(body).toMatch(/class="badge unjudged[^"]*">Not judged</);
			expect(body).toMatch(/data-testid="tile-unjudged"[^>]*>too few to judge \(1 solved ticket; 10 needed\)</);
			expect(body).not.toMatch(/Critical|Warning/);
			// The value and its change are still there.
			expect(body).toMatch(/data-testid="tile-value"[^>]*>0 %</);
			expect(body).toContain('vs previous window');
		});

	it('judged tiles keep their badge and carry no such note', () => {
		const { body } = render(MetricTile, { props: { tile: { ...fcr, state: 'critical', note: null, counts: { tickets_solved: 10 } } } });
		expect(body).toMatch(/>Critical</);
		expect(body).not.toContain('tile-unjudged');
	});
});
