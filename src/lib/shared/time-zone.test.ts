import { describe, expect, it } from 'vitest';
import { scaleUtc } from 'd3';
import {
	canonicalZone,
	clockChangeAt,
	clockChangeNote,
	formatDate,
	formatDateTime,
	formatRelative,
	formatSpan,
	formatTime,
	formatTimeOrDateTime,
	fromZonedInput,
	knownZones,
	offsetMinutes,
	toZonedInput,
	wallClock,
	zoneAbbreviation,
	zonedTicks
} from './time-zone';

const NY = 'America/New_York';
const BERLIN = 'Europe/Berlin';
const KOLKATA = 'Asia/Kolkata';
const ms = (iso: string) => Date.parse(iso);

describe('formatDateTime', () => {
	it('shows the wall clock of the zone with its short name, winter and summer', () => {
		expect(formatDateTime('2026-12-05T09:41:00.000Z', 'UTC')).toBe('2026-12-05 09:41 UTC');
		expect(formatDateTime('2026-12-05T09:41:00.000Z', NY)).toBe('2026-12-05 04:41 EST');
		expect(formatDateTime('2026-07-05T09:41:00.000Z', NY)).toBe('2026-07-05 05:41 EDT');
		expect(formatDateTime('2026-12-05T09:41:00.000Z', BERLIN)).toBe('2026-12-05 10:41 CET');
		expect(formatDateTime('2026-07-05T09:41:00.000Z', BERLIN)).toBe('2026-07-05 11:41 CEST');
		expect(formatDateTime('2026-07-05T09:41:00.000Z', 'Europe/London')).toBe('2026-07-05 10:41 BST');
	});

	it('names zones without a common abbreviation by their offset, half hours included', () => {
		expect(formatDateTime('2026-12-05T09:41:00Z', KOLKATA)).toBe('2026-12-05 15:11 UTC+5:30');
		expect(formatDateTime('2026-12-05T09:41:00Z', 'Asia/Kathmandu')).toBe('2026-12-05 15:26 UTC+5:45');
		expect(formatDateTime('2026-12-05T09:41:00Z', 'Asia/Tokyo')).toBe('2026-12-05 18:41 UTC+9');
		expect(formatDateTime('2026-12-05T09:41:00Z', 'America/Sao_Paulo')).toBe('2026-12-05 06:41 UTC-3');
		expect(offsetMinutes(ms('2026-12-05T09:41:00Z'), KOLKATA)).toBe(330);
	});

	it('moves the date across the day boundary both ways', () => {
		expect(formatDateTime('2026-12-06T03:30:00Z', NY)).toBe('2026-12-05 22:30 EST');
		expect(formatDateTime('2026-12-31T19:00:00Z', KOLKATA)).toBe('2027-01-01 00:30 UTC+5:30');
		expect(formatDate('2026-12-31T23:59:59Z', 'Asia/Tokyo')).toBe('2027-01-01');
	});

	it('shows seconds when asked, and a dash for no time', () => {
		expect(formatDateTime('2026-12-05T09:41:07Z', NY, { seconds: true })).toBe('2026-12-05 04:41:07 EST');
		expect(formatTime('2026-12-05T09:41:07Z', BERLIN, { seconds: true })).toBe('10:41:07 CET');
		expect(formatDateTime(null, NY)).toBe('—');
		expect(formatDateTime('not a time', NY)).toBe('—');
	});

	it('shows only the time on the same day in the zone, the date otherwise', () => {
		const now = ms('2026-12-06T02:00:00Z'); // 21:00 EST on the 5th in New York
		expect(formatTimeOrDateTime('2026-12-05T23:00:00Z', NY, now)).toBe('18:00 EST');
		expect(formatTimeOrDateTime('2026-12-05T23:00:00Z', 'UTC', now)).toBe('2026-12-05 23:00 UTC');
	});
});

describe('summer time changes', () => {
	it('New York, 2026-11-01: 01:30 happens twice; the input reads it as the first (EDT)', () => {
		expect(formatDateTime('2026-11-01T05:30:00Z', NY)).toBe('2026-11-01 01:30 EDT');
		expect(formatDateTime('2026-11-01T06:30:00Z', NY)).toBe('2026-11-01 01:30 EST');
		expect(fromZonedInput('2026-11-01T01:30', NY)).toBe(ms('2026-11-01T05:30:00Z'));
		expect(fromZonedInput('2026-11-01T00:30', NY)).toBe(ms('2026-11-01T04:30:00Z'));
		expect(fromZonedInput('2026-11-01T02:30', NY)).toBe(ms('2026-11-01T07:30:00Z'));
		expect(toZonedInput('2026-11-01T06:30:00Z', NY)).toBe('2026-11-01T01:30');
	});

	it('New York, 2026-03-08: 02:30 never happens; the input reads it as 03:30 EDT', () => {
		expect(fromZonedInput('2026-03-08T02:30', NY)).toBe(ms('2026-03-08T07:30:00Z'));
		expect(formatDateTime(fromZonedInput('2026-03-08T02:30', NY)!, NY)).toBe('2026-03-08 03:30 EDT');
		expect(fromZonedInput('2026-03-08T01:59', NY)).toBe(ms('2026-03-08T06:59:00Z'));
	});

	it('Berlin, 2026-10-25: 02:30 happens twice (CEST, then CET); the input reads the first', () => {
		expect(formatDateTime('2026-10-25T00:30:00Z', BERLIN)).toBe('2026-10-25 02:30 CEST');
		expect(formatDateTime('2026-10-25T01:30:00Z', BERLIN)).toBe('2026-10-25 02:30 CET');
		expect(fromZonedInput('2026-10-25T02:30', BERLIN)).toBe(ms('2026-10-25T00:30:00Z'));
		expect(fromZonedInput('2026-10-24T12:00', BERLIN)).toBe(ms('2026-10-24T10:00:00Z'));
		expect(fromZonedInput('2026-10-26T12:00', BERLIN)).toBe(ms('2026-10-26T11:00:00Z'));
	});

	it('every quarter hour of both change days survives prefill and read back, but the repeated hour’s second pass', () => {
		for (const [zone, day, repeatedUtc] of [
			[NY, '2026-11-01', ['2026-11-01T06:00:00Z', '2026-11-01T07:00:00Z']],
			[BERLIN, '2026-10-25', ['2026-10-25T01:00:00Z', '2026-10-25T02:00:00Z']]
		] as const) {
			for (let t = ms(`${day}T00:00:00Z`) - 86_400_000; t < ms(`${day}T00:00:00Z`) + 2 * 86_400_000; t += 15 * 60_000) {
				const back = fromZonedInput(toZonedInput(t, zone), zone)!;
				const inSecondPass = t >= ms(repeatedUtc[0]) && t < ms(repeatedUtc[1]);
				expect(back, `${zone} ${new Date(t).toISOString()}`).toBe(inSecondPass ? t - 3_600_000 : t);
			}
		}
	});
});

describe('times the clock skips or repeats, said before they are saved', () => {
	it('New York, 14 Mar 2027: 02:30 does not exist; it is read as 03:30 EDT and the note says so', () => {
		expect(clockChangeAt('2027-03-14T02:30', NY)).toEqual({ kind: 'skipped', used: ms('2027-03-14T07:30:00Z') });
		expect(clockChangeNote('2027-03-14T02:30', NY, 'the silence starts')).toBe(
			'02:30 does not exist on 14 Mar 2027 in America/New_York (clocks go forward); the silence starts at 03:30 EDT'
		);
		expect(clockChangeNote('2027-03-14T02:00', NY, 'the silence ends')).toBe(
			'02:00 does not exist on 14 Mar 2027 in America/New_York (clocks go forward); the silence ends at 03:00 EDT'
		);
	});

	it('New York, 7 Nov 2027: 01:30 happens twice; the first (EDT) is used, and the note names both', () => {
		expect(clockChangeAt('2027-11-07T01:30', NY)).toEqual({ kind: 'repeated', used: ms('2027-11-07T05:30:00Z'), other: ms('2027-11-07T06:30:00Z') });
		expect(clockChangeNote('2027-11-07T01:30', NY, 'the silence starts')).toBe(
			'01:30 happens twice on 7 Nov 2027 in America/New_York (clocks go back); the silence starts at the first, 01:30 EDT, not at 01:30 EST'
		);
		expect(fromZonedInput('2027-11-07T01:30', NY)).toBe(clockChangeAt('2027-11-07T01:30', NY)!.used);
	});

	it('Berlin’s repeated 02:30 (CEST, then CET)', () => {
		expect(clockChangeNote('2026-10-25T02:30', BERLIN, 'the silence ends')).toBe(
			'02:30 happens twice on 25 Oct 2026 in Europe/Berlin (clocks go back); the silence ends at the first, 02:30 CEST, not at 02:30 CET'
		);
	});

	it('says nothing of an ordinary time, the minutes either side of a change, UTC or no value', () => {
		for (const [v, zone] of [
			['2027-03-14T01:59', NY],
			['2027-03-14T03:00', NY],
			['2027-11-07T00:59', NY],
			['2027-11-07T02:00', NY],
			['2027-03-14T02:30', 'UTC'],
			['2027-03-14T02:30', KOLKATA],
			['', NY],
			['2027-02-30T02:30', NY]
		]) {
			expect(clockChangeAt(v, zone), `${v} ${zone}`).toBeNull();
			expect(clockChangeNote(v, zone, 'x'), `${v} ${zone}`).toBeNull();
		}
	});
});

describe('datetime-local values', () => {
	it('refuse what names no minute', () => {
		expect(fromZonedInput('', NY)).toBeNull();
		expect(fromZonedInput('2026-02-31T10:00', NY)).toBeNull();
		expect(fromZonedInput('2026-12-05T24:00', NY)).toBeNull();
		expect(fromZonedInput('2026-12-05 10:00', NY)).toBeNull();
	});

	it('read the half-hour zone right', () => {
		expect(fromZonedInput('2026-12-05T00:00', KOLKATA)).toBe(ms('2026-12-04T18:30:00Z'));
		expect(toZonedInput('2026-12-04T18:30:00Z', KOLKATA)).toBe('2026-12-05T00:00');
	});
});

describe('zones', () => {
	it('canonicalises known names and refuses unknown ones', () => {
		expect(canonicalZone('utc')).toBe('UTC');
		expect(canonicalZone('Europe/Berlin')).toBe('Europe/Berlin');
		expect(canonicalZone('Mars/Olympus_Mons')).toBeNull();
		expect(canonicalZone('')).toBeNull();
		expect(canonicalZone(null)).toBeNull();
		expect(knownZones()[0]).toBe('UTC');
		expect(knownZones()).toContain(NY);
		// ICU resolves some zones to replaced names (Asia/Kolkata → Asia/Calcutta); people see the current ones.
		expect(canonicalZone('Asia/Calcutta')).toBe('Asia/Kolkata');
		expect(canonicalZone(KOLKATA)).toBe('Asia/Kolkata');
		expect(canonicalZone('Europe/Kiev')).toBe('Europe/Kyiv');
		expect(knownZones()).toEqual(expect.arrayContaining(['Asia/Kolkata', 'Europe/Kyiv', 'Asia/Ho_Chi_Minh']));
		expect(knownZones()).not.toContain('Asia/Calcutta');
		// Abbreviations and POSIX names would be stored as a city nobody chose ("EST" → America/Panama).
		expect([canonicalZone('EST'), canonicalZone('CET'), canonicalZone('PST8PDT')]).toEqual([null, null, null]);
		expect(canonicalZone('asia/tokyo')).toBe('Asia/Tokyo');
	});

	it('abbreviates per instant', () => {
		expect(zoneAbbreviation(ms('2026-01-15T12:00:00Z'), NY)).toBe('EST');
		expect(zoneAbbreviation(ms('2026-07-15T12:00:00Z'), NY)).toBe('EDT');
		expect(zoneAbbreviation(ms('2026-07-15T12:00:00Z'), 'UTC')).toBe('UTC');
		expect(wallClock(ms('2026-07-15T12:00:00Z'), KOLKATA)).toEqual({ year: 2026, month: 7, day: 15, hour: 17, minute: 30, second: 0 });
	});
});

describe('relative times', () => {
	const now = ms('2026-12-05T12:00:00Z');
	it('say how long ago, coarsely, and how long ahead', () => {
		expect(formatRelative(now - 40_000, now)).toBe('40 s ago');
		expect(formatRelative(now - 12 * 60_000 - 59_000, now)).toBe('12 min ago');
		expect(formatRelative(now - 3 * 3_600_000, now)).toBe('3 h ago');
		expect(formatRelative(now - 50 * 3_600_000, now)).toBe('2 d ago');
		expect(formatRelative(now + 5 * 60_000, now)).toBe('in 5 min');
		expect(formatSpan(now + 60_000, now)).toBe('0 s');
	});
});

describe('zonedTicks', () => {
	const utcTicks = (a: Date, b: Date, n: number) => scaleUtc().domain([a, b]).ticks(n);

	it('puts day ticks on the zone’s midnights', () => {
		const t = zonedTicks(new Date('2026-12-01T00:00:00Z'), new Date('2026-12-06T00:00:00Z'), 5, utcTicks, NY);
		expect(t.length).toBeGreaterThanOrEqual(4);
		for (const d of t) expect(wallClock(d.getTime(), NY)).toMatchObject({ hour: 0, minute: 0 });
		expect(t[0].toISOString()).toBe('2026-12-01T05:00:00.000Z');
	});

	it('puts hour ticks on the whole hours of a half-hour zone, and stays in the span', () => {
		const from = new Date('2026-12-05T08:10:00Z');
		const to = new Date('2026-12-05T16:40:00Z');
		const t = zonedTicks(from, to, 4, utcTicks, KOLKATA);
		expect(t.length).toBeGreaterThanOrEqual(3);
		for (const d of t) {
			expect(wallClock(d.getTime(), KOLKATA).minute).toBe(0);
			expect(d >= from && d <= to).toBe(true);
		}
	});

	it('keeps the midnights across a change of summer time', () => {
		const t = zonedTicks(new Date('2026-10-20T00:00:00Z'), new Date('2026-10-30T00:00:00Z'), 10, utcTicks, BERLIN);
		for (const d of t) expect(wallClock(d.getTime(), BERLIN)).toMatchObject({ hour: 0, minute: 0 });
		expect(t.map((d) => d.toISOString())).toContain('2026-10-25T23:00:00.000Z');
		expect(t.map((d) => d.toISOString())).toContain('2026-10-24T22:00:00.000Z');
	});
});
