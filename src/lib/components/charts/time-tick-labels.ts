// Labels for the ticks of a time axis as read in the display zone: dates when the ticks fall on the
// zone's midnights, else times, with the date only where it changes, so a journey within one day does
// not read "2026-12-06" at every tick. The zone's name is in each chart's legend, not on every tick.
import { formatDate, UTC, wallClock } from '$lib/shared/time-zone';

export function timeTickLabels(ticks: readonly Date[], zone: string = UTC): string[] {
	const clocks = ticks.map((t) => wallClock(t.getTime(), zone));
	const day = (t: Date) => formatDate(t, zone);
	const time = (i: number) => `${String(clocks[i].hour).padStart(2, '0')}:${String(clocks[i].minute).padStart(2, '0')}`;
	if (clocks.every((c) => c.hour === 0 && c.minute === 0)) return ticks.map(day);
	return ticks.map((t, i) => (i === 0 || day(t) !== day(ticks[i - 1]) ? `${day(t)} ${time(i)}` : time(i)));
}
