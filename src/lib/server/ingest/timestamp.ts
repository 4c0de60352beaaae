// ISO-8601 parsing to microseconds since the epoch (UTC), without Date's lenient guessing.
const ISO =
	/^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?)?$/;

const DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeap(y: number): boolean {
	return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/** Microseconds since 1970-01-01 UTC, or null when `s` is not an ISO-8601 date or timestamp. */
export function parseIsoMicros(s: string): number | null {
	const m = ISO.exec(s);
	if (!m) return null;
	const y = +m[1];
	const mo = +m[2];
	const d = +m[3];
	const h = m[4] ? +m[4] : 0;
	const mi = m[5] ? +m[5] : 0;
	const sec = m[6] ? +m[6] : 0;
	if (y < 1900 || mo < 1 || mo > 12 || d < 1 || d > DAYS[mo - 1] || (mo === 2 && d === 29 && !isLeap(y))) return null;
	if (h > 23 || mi > 59 || sec > 59) return null;
	let offsetMin = 0;
	const tz = m[8];
	if (tz && tz !== 'Z' && tz !== 'z') {
		const sign = tz[0] === '-' ? -1 : 1;
		const digits = tz.slice(1).replace(':', '');
		const oh = +digits.slice(0, 2);
		const om = digits.length > 2 ? +digits.slice(2, 4) : 0;
		if (oh > 23 || om > 59) return null;
		offsetMin = sign * (oh * 60 + om);
	}
	const fracMicros = m[7] ? Math.floor(+(m[7] + '000000').slice(0, 6)) : 0;
	const ms = Date.UTC(y, mo - 1, d, h, mi, sec);
	return ms * 1000 + fracMicros - offsetMin * 60_000_000;
}

export function microsToIso(us: number): string {
	const ms = Math.floor(us / 1000);
	const rest = us - ms * 1000;
	const iso = new Date(ms).toISOString();
	return rest === 0 ? iso : `${iso.slice(0, -1)}${String(rest).padStart(3, '0')}Z`;
}
