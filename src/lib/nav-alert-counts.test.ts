import { describe, expect, it } from 'vitest';
import { navAlertCounts } from './nav-alert-counts';

const loaded = { firing: 1, open_items: 3 };

describe('the counts beside "Alerts" in the navigation', () => {
	it('before the stream says anything: the load’s counts, and the label says the open count is as of the load', () => {
		expect(navAlertCounts(loaded, { firing: null, openItems: null })).toEqual({
			firing: 1,
			open: 3,
			label: "1 metric alert rule firing, 3 open work items (open items as of this page's load)"
		});
	});

	it('once the stream has sent an open count: that count, and the label no longer dates it', () => {
		expect(navAlertCounts(loaded, { firing: null, openItems: 4 })).toEqual({
			firing: 1,
			open: 4,
			label: '1 metric alert rule firing, 4 open work items'
		});
	});

	it('a live zero is a count, not a missing one', () => {
		expect(navAlertCounts(loaded, { firing: 0, openItems: 0 })).toMatchObject({ firing: 0, open: 0 });
		expect(navAlertCounts(loaded, { firing: 2, openItems: 1 }).label).toBe('2 metric alert rules firing, 1 open work item');
	});
});
