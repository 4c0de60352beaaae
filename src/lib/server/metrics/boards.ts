// Wall boards as code: which tiles, layout, rotation and the playlist of boards a wall cycles through.
import type { WindowId } from '../../shared/format';

export interface Board {
	name: string;
	title: string;
	window: WindowId;
	/** Metric ids, in reading order. */
	tiles: readonly string[];
	/** Grid columns at 1080p/4K. */
	columns: number;
	/** Seconds this board stays on screen before the next one in the playlist. */
	rotateSeconds: number;
	/** Boards shown in turn, starting with this one; a single entry means no rotation. */
	playlist: readonly string[];
}

export const BOARDS: readonly Board[] = [
	{
		name: 'main',
		title: 'Customer experience — last hour',
		window: '1h',
		tiles: ['csat', 'nps', 'fcr', 'frt_median', 'complaint_rate', 'active_customers', 'new_customers', 'at_risk_customers'],
		columns: 4,
		rotateSeconds: 30,
		playlist: ['main', 'support', 'retention']
	},
	{
		name: 'support',
		title: 'Support desk — last 24 hours',
		window: '24h',
		tiles: ['frt_median', 'frt_p90', 'res_median', 'res_p90', 'fcr', 'csat'],
		columns: 3,
		rotateSeconds: 30,
		playlist: ['support']
	},
	{
		name: 'retention',
		title: 'Retention — last 30 days',
		window: '30d',
		tiles: ['churn_rate', 'repeat_purchase_rate', 'avg_relationship_days', 'at_risk_customers', 'at_risk_revenue', 'active_customers'],
		columns: 3,
		rotateSeconds: 30,
		playlist: ['retention']
	}
];

export function findBoard(name: string): Board | undefined {
	return BOARDS.find((b) => b.name === name);
}
