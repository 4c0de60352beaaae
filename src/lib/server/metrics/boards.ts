// The built-in wall boards: which tiles, layout, rotation and the playlist of boards a wall cycles through.
// They stay in code and read-only, so the display tokens and bookmarks naming them keep working; boards an
// administrator makes live in the table wall_boards (board-store.ts reads both, built-ins first).
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
	/**
	 * Boards shown in turn. The wall starts with this board and follows the list round from there; when the
	 * list does not name it, it is shown first. Names of boards that no longer exist are skipped.
	 */
	playlist: readonly string[];
}

export const BUILTIN_BOARDS: readonly Board[] = [
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

export function findBuiltinBoard(name: string): Board | undefined {
	return BUILTIN_BOARDS.find((b) => b.name === name);
}
