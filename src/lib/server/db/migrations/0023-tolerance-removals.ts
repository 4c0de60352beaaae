import type { Migration } from './index';

// When a segment's own tolerance settings were last removed (alerts/tolerance-settings.ts), written in the
// removal's transaction. A removal leaves no tolerance_settings row whose updated_at could say so, and the
// alert tick must still tell, after a restart too, that a tolerance item cleared because its customers fell
// back to '*' was closed by a settings change, not by decay (work-item-settings-change.ts). One row per
// segment, replaced by the next removal; re-adding the segment leaves it: a segment with its own row again
// is judged by that row's updated_at.
export const m0023ToleranceRemovals: Migration = {
	id: 23,
	name: 'tolerance-removals',
	sql: `
CREATE TABLE tolerance_settings_removals (
	segment TEXT PRIMARY KEY,
	removed_at TIMESTAMP NOT NULL
);
`
};
