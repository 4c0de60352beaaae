// Plain words and units for the counters behind a metric (the metric page's "Underlying counts" and its
// breakdowns), keyed by the counter names of metrics/definitions.ts and tiles.ts. The page showed the
// names themselves with underscores turned to spaces ("nps n", "ces sum", "at risk revenue 50,256.05").

type CounterUnit = 'count' | 'money' | 'money-month' | 'days';

const COUNTERS: Record<string, { label: string; unit: CounterUnit }> = {
	events: { label: 'Events', unit: 'count' },
	csat_n: { label: 'CSAT ratings', unit: 'count' },
	csat_good: { label: 'CSAT ratings of 4–5', unit: 'count' },
	nps_n: { label: 'NPS responses', unit: 'count' },
	nps_promoters: { label: 'NPS promoters (9–10)', unit: 'count' },
	nps_detractors: { label: 'NPS detractors (0–6)', unit: 'count' },
	ces_n: { label: 'CES ratings', unit: 'count' },
	ces_good: { label: 'CES ratings of 5–7', unit: 'count' },
	ces_sum: { label: 'Sum of CES ratings (1–7 each)', unit: 'count' },
	complaints: { label: 'Complaints', unit: 'count' },
	purchases: { label: 'Purchases', unit: 'count' },
	purchase_value: { label: 'Purchase value', unit: 'money' },
	refunds: { label: 'Refunds', unit: 'count' },
	cancellations: { label: 'Cancellations', unit: 'count' },
	signups: { label: 'Sign-ups', unit: 'count' },
	tickets_opened: { label: 'Tickets opened', unit: 'count' },
	tickets_reopened: { label: 'Tickets reopened', unit: 'count' },
	tickets_solved: { label: 'Tickets solved', unit: 'count' },
	tickets_fcr: { label: 'Tickets solved at first contact', unit: 'count' },
	new_customers: { label: 'New customers', unit: 'count' },
	active_customers: { label: 'Active customers', unit: 'count' },
	buyers: { label: 'Customers with a purchase', unit: 'count' },
	repeat_buyers: { label: 'Customers with 2 or more purchases', unit: 'count' },
	tenure_days_sum: { label: 'Relationship length, all active customers together', unit: 'days' },
	lost_customers: { label: 'Customers lost', unit: 'count' },
	active_at_start: { label: 'Customers active at the window’s start', unit: 'count' },
	at_risk_customers: { label: 'Customers at risk', unit: 'count' },
	at_risk_revenue: { label: 'Monthly value of customers at risk', unit: 'money-month' },
	first_replies_measured: { label: 'First replies measured', unit: 'count' },
	resolutions_measured: { label: 'Resolutions measured', unit: 'count' }
};

/** "NPS responses"; a counter not listed keeps its name in words. */
export function counterLabel(key: string): string {
	const words = key.replaceAll('_', ' ');
	return COUNTERS[key]?.label ?? words.charAt(0).toUpperCase() + words.slice(1);
}

/** A counter's value with its unit: "1,234", "£50,256.05 a month", "12,345 d". */
export function counterValue(key: string, v: number): string {
	const unit = COUNTERS[key]?.unit ?? 'count';
	if (unit === 'money' || unit === 'money-month') {
		const money = `£${v.toLocaleString('en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
		return unit === 'money-month' ? `${money} a month` : money;
	}
	const n = v.toLocaleString('en-GB', { maximumFractionDigits: 2 });
	return unit === 'days' ? `${n} d` : n;
}
