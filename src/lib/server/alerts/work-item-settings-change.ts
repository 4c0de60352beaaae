// Tolerance items the alert tick closes because a tolerance settings save, or the removal of their segment's
// own settings (its customers fall back to '*'), took their customer's debt under the limit (both recompute
// stored debt, debt-recompute.ts). Their history says so, and they start no re-open cool-down
// (startsCooldownSql): an admin who saved wrong weights and put them back a minute later got no item for a
// week for customers over the limit again, since "condition cleared" started one then (it no longer does).
import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import { decayedDebtSql, limitSql, segmentSettingsJoinSql, toleranceSegmentsSql } from './debt-sql';
import { sqlTs } from './sql-time';
import { ANY_SEGMENT, loadToleranceSettingsIn } from './tolerance-settings';
import type { SystemClosure } from './work-item-upkeep';
import { settingsChangeRootCause, settingsRemovalRootCause } from '../../shared/settings-change-closure';

/**
 * Of the open items `ids` about to close as cleared, the tolerance items whose customer's settings (their
 * segment's row, or '*' when it has none) were saved after the item was opened, or whose segment's own
 * settings were removed after it (the customer is now judged by '*'), with the closure to record:
 * `settings_change: true`, the settings' segment and save or removal time (`settings_removed: true` for a
 * removal), and the debt and limit now (rounded as shown). When both happened since, the later one is named.
 *
 * The signals are tolerance_settings.updated_at and tolerance_settings_removals.removed_at, each written in
 * the save's or removal's own transaction: exact, and still there when the tick closes the items, after a
 * restart too (debt_recompute_pending is deleted as the recompute ends, before they close; the audit entry
 * holds the same time behind a lookup by subject and action). Both and the tick's `now` are the server's
 * clock. A removal counts only while the segment has no row again: once re-added, its row's save time is the
 * change. A save that changed nothing this customer's debt depends on (an SLA) still counts when the debt
 * decays under the limit later: such a closure only skips the cool-down, it opens nothing.
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
			`WITH ${seg},
			changes AS (
				SELECT segment, updated_at AS at, false AS removed FROM tolerance_settings
				UNION ALL SELECT segment, removed_at, true FROM tolerance_settings_removals
			)
			SELECT w.id, ch.segment AS settings_segment, ch.at AS changed_at, ch.removed,
				coalesce(${decayedDebtSql(bind(sqlTs(now)))}, 0) AS debt, ${limitSql('c')} AS lim
			FROM work_items w
			JOIN customers c ON c.customer_id = w.customer_id
			LEFT JOIN customer_debt d ON d.customer_id = w.customer_id
			${segmentSettingsJoinSql('c')}
			JOIN changes ch ON CASE WHEN ch.removed THEN own.segment IS NULL AND ch.segment = c.segment
				ELSE ch.segment = coalesce(own.segment, ${bind(ANY_SEGMENT)}) END
			WHERE w.id IN (SELECT unnest(from_json(${bind(JSON.stringify(ids))}::JSON, '["VARCHAR"]')))
				AND w.reason = 'tolerance' AND ch.at > w.created_at
			QUALIFY row_number() OVER (PARTITION BY w.id ORDER BY ch.at DESC) = 1`,
			params
		)
	).getRowObjectsJS() as {
		id: string;
		settings_segment: string;
		changed_at: Date;
		removed: boolean;
		debt: number;
		lim: number;
	}[];
	return rows.map((r) => {
		const root_cause = (r.removed ? settingsRemovalRootCause : settingsChangeRootCause)(r.settings_segment);
		return {
			id: r.id,
			root_cause,
			detail: JSON.stringify({
				outcome: 'no_action',
				root_cause,
				settings_change: true,
				settings_segment: r.settings_segment,
				...(r.removed
					? { settings_removed: true, settings_removed_at: r.changed_at.toISOString() }
					: { settings_saved_at: r.changed_at.toISOString() }),
				debt: Math.round(r.debt * 10) / 10,
				limit: r.lim
			})
		};
	});
}
