import { describe, expect, it } from 'vitest';
import { OUTCOMES } from '../server/alerts/work-item-types';
import { OUTCOME_LABELS, outcomeLabel } from './outcomes';

describe('outcomeLabel', () => {
	it('has a readable label for every outcome the server accepts', () => {
		for (const o of OUTCOMES) expect(outcomeLabel(o), o).not.toContain('_');
		expect(Object.keys(OUTCOME_LABELS).sort()).toEqual([...OUTCOMES].sort());
		expect(outcomeLabel('no_action')).toBe('No action needed');
		expect(outcomeLabel('false_alarm')).toBe('False alarm');
	});

	it('shows an unknown code as it is, and is not fooled by object keys', () => {
		expect(outcomeLabel('escalated')).toBe('escalated');
		expect(outcomeLabel('constructor')).toBe('constructor');
	});
});
