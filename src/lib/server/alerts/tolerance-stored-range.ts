// Stored tolerance values outside the ranges of tolerance-bounds.ts: a database from before those bounds can
// hold a weight of 1e19, which stays until someone saves the segment again. The Settings page marks each such
// field when it loads, as a refused save would, so the admin sees what to fix; nothing is changed by itself
// (the admin decides which value is meant).
import { EXPERIENCE_KINDS, type ToleranceSettings } from './tolerance-defaults';
import { outOfRange, type BoundedSetting } from './tolerance-bounds';

/** A stored number as the admin can read it: 1e19, not 10000000000000000000. */
function storedText(v: number): string {
	if (!Number.isFinite(v)) return String(v);
	return Math.abs(v) >= 1e7 ? v.toExponential().replace('e+', 'e') : v.toLocaleString('en-US', { maximumFractionDigits: 6 });
}

/**
 * Per segment, the form fields (as the tolerance form names them: `limit`, `halfLifeDays`,
 * `firstResponseSlaHours`, `weights.<kind>`) whose stored value is out of range, with the message to show
 * beside each: "stored value 1e19 must be from -1,000 to 1,000 points: save a value in range". Segments
 * with nothing out of range are left out.
 */
export function storedOutOfRange(
	rows: readonly { segment: string; settings: ToleranceSettings }[]
): Record<string, Record<string, string>> {
	const out: Record<string, Record<string, string>> = {};
	for (const { segment, settings: s } of rows) {
		const errors: Record<string, string> = {};
		const check = (field: string, which: BoundedSetting, v: number) => {
			const why = outOfRange(which, v);
			if (why) errors[field] = `stored value ${storedText(v)} ${why}: save a value in range`;
		};
		check('limit', 'limit', s.limit);
		check('halfLifeDays', 'halfLifeDays', s.halfLifeDays);
		check('firstResponseSlaHours', 'firstResponseSlaHours', s.firstResponseSlaHours);
		for (const k of EXPERIENCE_KINDS) check(`weights.${k}`, 'weight', s.weights[k]);
		if (Object.keys(errors).length) out[segment] = errors;
	}
	return out;
}
