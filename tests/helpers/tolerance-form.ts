// The Settings page's tolerance form as a browser posts it: every field at its default, so a test states
// only the fields it changes.
import { DEFAULT_TOLERANCE, EXPERIENCE_KINDS } from '../../src/lib/server/alerts/tolerance-defaults';

export function toleranceFormFields(segment: string, overrides: Record<string, string> = {}): Record<string, string> {
	const f: Record<string, string> = {
		segment,
		limit: String(DEFAULT_TOLERANCE.limit),
		halfLifeDays: String(DEFAULT_TOLERANCE.halfLifeDays),
		firstResponseSlaHours: String(DEFAULT_TOLERANCE.firstResponseSlaHours)
	};
	for (const k of EXPERIENCE_KINDS) f[`weights.${k}`] = String(DEFAULT_TOLERANCE.weights[k]);
	return { ...f, ...overrides };
}
