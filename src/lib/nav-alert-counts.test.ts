import { describe, expect, it } from 'vitest';
import { navAlertCounts } from './nav-alert-counts';

const loaded = { firing: 1, open_items: 3 };

describe('the counts beside "Alerts" in the navigation', () => {
	it('on a page no stream follows: the load’s counts, and the label says the open count is as of the load', () => {
		expect(navAlertCounts(loaded, { firing: null, openItems: null, followed: false })).toEqual({
			firing: 1,
			open: 3,
			firingName: '1 metric alert rule firing',
			openName: '3 open work items',
			label: "1 metric alert rule firing, 3 open work items (open items as of this page's load)",
			spoken: '1 metric alert rule firing, 3 open work items'
		});
	});

	it('on a page whose stream keeps the count live: not dated, even before the first event', () => {
		expect(navAlertCounts(loaded, { firing: null, openItems: null, followed: true }).label).toBe('1 metric alert rule firing, 3 open work items');
	});

	it('once the stream has sent an open count: that count', () => {
		expect(navAlertCounts(loaded, { firing: null, openItems: 4, followed: true })).toMatchObject({
			firing: 1,
			open: 4,
			openName: '4 open work items',
			label: '1 metric alert rule firing, 4 open work items'
		});
	});

	it('a live zero is a count, not a missing one', () => {
		expect(navAlertCounts(loaded, { firing: 0, openItems: 0, followed: true })).toMatchObject({ firing: 0, open: 0, spoken: '' });
		// The link's name names only the pills shown ("Alerts, 311 open work items").
		expect(navAlertCounts({ firing: 0, open_items: 311 }, { firing: null, openItems: null, followed: true }).spoken).toBe('311 open work items');
		expect(navAlertCounts(loaded, { firing: 2, openItems: 1, followed: true })).toMatchObject({
			firingName: '2 metric alert rules firing',
			openName: '1 open work item',
			label: '2 metric alert rules firing, 1 open work item'
		});
	});

	it('counts the open items in thousands as the pill shows them', () => {
		expect(navAlertCounts({ firing: 0, open_items: 1234 }, { firing: null, openItems: null, followed: true }).openName).toBe('1,234 open work items');
	});
});
