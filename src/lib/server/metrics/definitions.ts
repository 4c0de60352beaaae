// Metrics as code (DESIGN §4): one entry per tile. Formulas read rollup counters only.
import { formatValue, type Direction, type MetricUnit, type WindowId } from '../../shared/format';
import type { Thresholds } from '../../shared/live-events';
import { quantileOf } from './histogram';

/** Counters summed from rollup_minute over a window. */
export const MINUTE_COUNTERS = [
	'events',
	'csat_n',
	'csat_good',
	'nps_n',
	'nps_promoters',
	'nps_detractors',
	'ces_n',
	'ces_good',
	'ces_sum',
	'complaints',
	'purchases',
	'purchase_value',
	'refunds',
	'cancellations',
	'signups',
	'tickets_opened',
	'tickets_reopened',
	'tickets_solved',
	'tickets_fcr',
	'new_customers'
] as const;
export type MinuteCounter = (typeof MINUTE_COUNTERS)[number];
export const isMinuteCounter = (k: string): k is MinuteCounter => (MINUTE_COUNTERS as readonly string[]).includes(k);

/** Counters computed from the distinct-customer rollups and the scores table. */
export type CustomerCounter =
	| 'active_customers'
	| 'buyers'
	| 'repeat_buyers'
	| 'tenure_days_sum'
	| 'lost_customers'
	| 'active_at_start'
	| 'at_risk_customers'
	| 'at_risk_revenue';

export type CounterName = MinuteCounter | CustomerCounter;
export type Counters = Partial<Record<CounterName, number>>;
export type Histogram = Map<number, number>;

export interface MetricInputs {
	c: Counters;
	frt: Histogram;
	res: Histogram;
}

/** Which rollups a metric reads (tiles load only what the requested metrics need). */
export type MetricSource = 'counters' | 'latency' | 'activity' | 'churn' | 'risk';

export interface MetricDefinition {
	id: string;
	source: MetricSource;
	label: string;
	unit: MetricUnit;
	direction: Direction;
	description: string;
	defaultWindow: WindowId;
	thresholds: Thresholds | null;
	/** Counters shown as the drill-down's underlying counts. */
	counters: readonly CounterName[];
	/** null = no data (e.g. no ratings in the window). */
	compute: (i: MetricInputs) => number | null;
	secondary?: { label: string; unit: MetricUnit; compute: (i: MetricInputs) => number | null };
	/** A snapshot, not a windowed flow: no previous window; a sparkline only from the score history (risk-history.ts). */
	snapshot?: boolean;
	/** Latency metrics: the histogram whose sample count is shown with the underlying counts. */
	histogram?: 'frt' | 'res';
	/**
	 * Metrics with thresholds: how many observations the value rests on, in words. Below MIN_SAMPLE
	 * (verdict.ts) the tile shows its value without a verdict: one solved ticket read "Critical 0 %".
	 */
	sample?: Sample;
	/**
	 * The window the thresholds were set for, on a metric whose value grows with the window's length
	 * (a 1 h churn rate can never reach a monthly threshold): at other windows the tile gives no verdict.
	 */
	thresholdWindow?: WindowId;
}

/** The observations behind a value: a counter, or the count of a latency histogram. */
export interface Sample {
	of: CounterName | 'frt' | 'res';
	one: string;
	many: string;
}

const n = (c: Counters, k: CounterName) => c[k] ?? 0;
const pct = (num: number, den: number) => (den > 0 ? (100 * num) / den : null);

export const METRICS: readonly MetricDefinition[] = [
	{
		id: 'csat',
		source: 'counters',
		label: 'CSAT',
		unit: 'percent',
		direction: 'up',
		description: 'share of CSAT ratings 4–5 among all CSAT ratings',
		defaultWindow: '24h',
		thresholds: { warn: 80, critical: 70 },
		counters: ['csat_good', 'csat_n'],
		sample: { of: 'csat_n', one: 'CSAT rating', many: 'CSAT ratings' },
		compute: ({ c }) => pct(n(c, 'csat_good'), n(c, 'csat_n'))
	},
	{
		id: 'nps',
		source: 'counters',
		label: 'NPS',
		unit: 'score',
		direction: 'up',
		description: '% promoters (9–10) minus % detractors (0–6) among NPS ratings',
		defaultWindow: '7d',
		thresholds: { warn: 20, critical: 0 },
		counters: ['nps_promoters', 'nps_detractors', 'nps_n'],
		sample: { of: 'nps_n', one: 'NPS response', many: 'NPS responses' },
		compute: ({ c }) => {
			const d = n(c, 'nps_n');
			return d > 0 ? (100 * (n(c, 'nps_promoters') - n(c, 'nps_detractors'))) / d : null;
		}
	},
	{
		id: 'ces',
		source: 'counters',
		label: 'CES',
		unit: 'percent',
		direction: 'up',
		description: 'share of CES ratings 5–7 (low effort); mean rating as secondary',
		defaultWindow: '24h',
		thresholds: { warn: 70, critical: 55 },
		counters: ['ces_good', 'ces_n', 'ces_sum'],
		sample: { of: 'ces_n', one: 'CES rating', many: 'CES ratings' },
		compute: ({ c }) => pct(n(c, 'ces_good'), n(c, 'ces_n')),
		secondary: {
			label: 'mean (1–7)',
			unit: 'score',
			compute: ({ c }) => (n(c, 'ces_n') > 0 ? n(c, 'ces_sum') / n(c, 'ces_n') : null)
		}
	},
	{
		id: 'frt_median',
		histogram: 'frt',
		source: 'latency',
		label: 'First response (median)',
		unit: 'seconds',
		direction: 'down',
		description: 'support_opened → first support_reply on the ticket, median, counted when the reply arrives',
		defaultWindow: '24h',
		thresholds: { warn: 4 * 3600, critical: 8 * 3600 },
		counters: [],
		sample: { of: 'frt', one: 'answered ticket', many: 'answered tickets' },
		compute: ({ frt }) => quantileOf(frt, 0.5)
	},
	{
		id: 'frt_p90',
		histogram: 'frt',
		source: 'latency',
		label: 'First response (p90)',
		unit: 'seconds',
		direction: 'down',
		description: 'support_opened → first support_reply, 90th percentile',
		defaultWindow: '24h',
		thresholds: { warn: 8 * 3600, critical: 24 * 3600 },
		counters: [],
		sample: { of: 'frt', one: 'answered ticket', many: 'answered tickets' },
		compute: ({ frt }) => quantileOf(frt, 0.9)
	},
	{
		id: 'res_median',
		histogram: 'res',
		source: 'latency',
		label: 'Resolution (median)',
		unit: 'seconds',
		direction: 'down',
		description: 'support_opened → first support_solved, median, counted when solved',
		defaultWindow: '24h',
		thresholds: { warn: 24 * 3600, critical: 72 * 3600 },
		counters: ['tickets_solved'],
		sample: { of: 'res', one: 'solved ticket', many: 'solved tickets' },
		compute: ({ res }) => quantileOf(res, 0.5)
	},
	{
		id: 'res_p90',
		histogram: 'res',
		source: 'latency',
		label: 'Resolution (p90)',
		unit: 'seconds',
		direction: 'down',
		description: 'support_opened → first support_solved, 90th percentile',
		defaultWindow: '24h',
		thresholds: { warn: 72 * 3600, critical: 7 * 86_400 },
		counters: ['tickets_solved'],
		sample: { of: 'res', one: 'solved ticket', many: 'solved tickets' },
		compute: ({ res }) => quantileOf(res, 0.9)
	},
	{
		id: 'fcr',
		source: 'counters',
		label: 'First-contact resolution',
		unit: 'percent',
		direction: 'up',
		description: 'tickets solved with at most one agent reply and never reopened ÷ tickets solved',
		defaultWindow: '24h',
		thresholds: { warn: 70, critical: 55 },
		counters: ['tickets_fcr', 'tickets_solved', 'tickets_reopened'],
		sample: { of: 'tickets_solved', one: 'solved ticket', many: 'solved tickets' },
		compute: ({ c }) => pct(n(c, 'tickets_fcr'), n(c, 'tickets_solved'))
	},
	{
		id: 'churn_rate',
		source: 'churn',
		label: 'Churn rate',
		unit: 'percent',
		direction: 'down',
		description:
			'customers lost in the window ÷ customers active at window start (lost: cancellation, or no activity for the inactivity horizon)',
		defaultWindow: '30d',
		thresholds: { warn: 3, critical: 6 },
		counters: ['lost_customers', 'active_at_start'],
		sample: { of: 'active_at_start', one: 'customer active at the start', many: 'customers active at the start' },
		// Customers lost over the window: a 30-day window loses about 30 times what a day does, so 3 % and
		// 6 % are monthly figures.
		thresholdWindow: '30d',
		compute: ({ c }) => pct(n(c, 'lost_customers'), n(c, 'active_at_start'))
	},
	{
		id: 'complaint_rate',
		source: 'counters',
		label: 'Complaint rate',
		unit: 'percent',
		direction: 'down',
		description: 'complaints ÷ interactions (all events)',
		defaultWindow: '24h',
		thresholds: { warn: 2, critical: 5 },
		counters: ['complaints', 'events'],
		sample: { of: 'events', one: 'interaction', many: 'interactions' },
		compute: ({ c }) => pct(n(c, 'complaints'), n(c, 'events'))
	},
	{
		id: 'active_customers',
		source: 'activity',
		label: 'Active customers',
		unit: 'count',
		direction: 'up',
		description: 'distinct customers with an event (other than cancellation) in the window',
		defaultWindow: '24h',
		thresholds: null,
		counters: ['active_customers', 'events'],
		compute: ({ c }) => n(c, 'active_customers')
	},
	{
		id: 'new_customers',
		source: 'counters',
		label: 'New customers',
		unit: 'count',
		direction: 'up',
		description: 'distinct customers whose first event falls in the window',
		defaultWindow: '24h',
		thresholds: null,
		counters: ['new_customers', 'signups'],
		compute: ({ c }) => n(c, 'new_customers')
	},
	{
		id: 'repeat_purchase_rate',
		source: 'activity',
		label: 'Repeat-purchase rate',
		unit: 'percent',
		direction: 'up',
		description: 'customers with ≥ 2 purchases ÷ customers with ≥ 1 purchase in the window',
		defaultWindow: '30d',
		thresholds: { warn: 20, critical: 10 },
		counters: ['repeat_buyers', 'buyers', 'purchases', 'purchase_value'],
		sample: { of: 'buyers', one: 'customer with a purchase', many: 'customers with a purchase' },
		// A second purchase has more time to happen in a longer window: an hour's buyers almost never
		// repeat, so 20 % and 10 % are set for 30 days. (The ratio metrics above, such as CSAT or the
		// complaint rate, divide two counts that both grow with the window: their thresholds hold at any.)
		thresholdWindow: '30d',
		compute: ({ c }) => pct(n(c, 'repeat_buyers'), n(c, 'buyers'))
	},
	{
		id: 'avg_relationship_days',
		source: 'activity',
		label: 'Average relationship length',
		unit: 'days',
		direction: 'up',
		description: 'mean tenure (signed_up_at, else first event, to window end) of active customers',
		defaultWindow: '30d',
		thresholds: null,
		counters: ['tenure_days_sum', 'active_customers'],
		compute: ({ c }) => (n(c, 'active_customers') > 0 ? n(c, 'tenure_days_sum') / n(c, 'active_customers') : null)
	},
	{
		id: 'at_risk_customers',
		source: 'risk',
		label: 'At-risk customers',
		unit: 'count',
		direction: 'down',
		description: 'customers whose latest churn score is in the high risk band',
		defaultWindow: '24h',
		thresholds: null,
		counters: ['at_risk_customers'],
		compute: ({ c }) => c.at_risk_customers ?? null,
		snapshot: true
	},
	{
		id: 'at_risk_revenue',
		source: 'risk',
		label: 'At-risk revenue',
		unit: 'currency',
		direction: 'down',
		description: 'sum of monthly_value of customers in the high risk band (per month)',
		defaultWindow: '24h',
		thresholds: null,
		counters: ['at_risk_revenue'],
		compute: ({ c }) => c.at_risk_revenue ?? null,
		snapshot: true
	}
];

export const METRIC_IDS = METRICS.map((m) => m.id);

export function findMetric(id: string): MetricDefinition | undefined {
	return METRICS.find((m) => m.id === id);
}

/** A value of this metric with its unit ('77.8 %', '2 h'); the bare number for an unknown metric id. */
export function formatMetricValue(id: string, value: number): string {
	const metric = findMetric(id);
	return metric ? formatValue(value, metric.unit) : String(value);
}

