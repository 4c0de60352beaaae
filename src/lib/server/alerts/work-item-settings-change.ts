// Tolerance items the alert tick closes because a tolerance settings save took their customer's debt under
// the limit (a save recomputes stored debt, debt-recompute.ts). Their history says so, and they start no
// re-open cool-down (startsCooldownSql): an admin who saved wrong weights and put them back a minute later
// got no item for a week for customers over the limit again, since "condition cleared" starts one.
import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import { decayedDebtSql, limitSql, segmentSettingsJoinSql, toleranceSegmentsSql } from './debt-sql';
import { sqlTs } from './sql-time';
import { ANY_SEGMENT, loadToleranceSettingsIn } from './tolerance-settings';
import type { SystemClosure } from './work-item-upkeep';
import { settingsChangeRootCause } from '../../shared/settings-change-closure';

/**
 * Of the open items `ids` about to close as cleared, the tolerance items whose customer's settings (their
 * segment's row, or '*' when it has none) were saved after the item was opened, with the closure to record:
 * `settings_change: true`, the settings' segment and save time, and the debt and limit now (rounded as shown).
 *
 * The signal is tolerance_settings.updated_at, written in the save's own transaction: exact, and still there
 * when the tick closes the items (debt_recompute_pending is deleted as the recompute ends, before they close;
 * the audit entry holds the same time behind a lookup by subject). Both it and the tick's `now` are the
 * server's clock. A save that changed nothing this customer's debt depends on (an SLA) still counts when the
 * debt decays under the limit later: such a closure only skips the cool-down, it opens nothing.
 */
export async function settingsChangeClosures(
	conn: DuckDBConnection,
	ids: readonly string[],
	now: number
): Promise<SystemClosure[]> {
	if (!ids.length) return [];
	const params: DuckDBValue[] = [];
	const bind = (v: DuckDBValue) => {
		params.push(v);
		return `$${params.length}`;
	};
	const seg = toleranceSegmentsSql(await loadToleranceSettingsIn(conn), bind);
	const rows = (
		await conn.runAndReadAll(
			`WITH ${seg}
			SELECT w.id, ts.segment AS settings_segment, ts.updated_at AS saved_at,
				coalesce(${decayedDebtSql(bind(sqlTs(now)))}, 0) AS debt, ${limitSql('c')} AS lim
			FROM work_items w
			JOIN customers c ON c.customer_id = w.customer_id
			LEFT JOIN customer_debt d ON d.customer_id = w.customer_id
			${segmentSettingsJoinSql('c')}
			JOIN tolerance_settings ts ON ts.segment = coalesce(own.segment, ${bind(ANY_SEGMENT)})
			WHERE w.id IN (SELECT unnest(from_json(${bind(JSON.stringify(ids))}::JSON, '["VARCHAR"]')))
				AND w.reason = 'tolerance' AND ts.updated_at > w.created_at`,
			params
		)
	).getRowObjectsJS() as { id: string; settings_segment: string; saved_at: Date; debt: number; lim: number }[];
	return rows.map((r) => {
		const root_cause = settingsChangeRootCause(r.settings_segment);
		return {
			id: r.id,
			root_cause,
			detail: JSON.stringify({
				outcome: 'no_action',
				root_cause,
				settings_change: true,
				settings_segment: r.settings_segment,
				settings_saved_at: r.saved_at.toISOString(),
				debt: Math.round(r.debt * 10) / 10,
				limit: r.lim
			})
		};
	});
}
