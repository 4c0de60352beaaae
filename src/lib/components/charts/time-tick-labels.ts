// Labels for the ticks of a UTC time axis: dates when the ticks fall on midnights, else times, with
// the date only where it changes, so a journey within one day does not read "2026-12-06" at every tick.
import { utcFormat } from 'd3';

const day = utcFormat('%Y-%m-%d');
const time = utcFormat('%H:%M');

export function timeTickLabels(ticks: readonly Date[]): string[] {
	if (ticks.every((t) => t.getUTCHours() === 0 && t.getUTCMinutes() === 0)) return ticks.map(day);
	return ticks.map((t, i) => (i === 0 || day(t) !== day(ticks[i - 1]) ? `${day(t)} ${time(t)}` : time(t)));
}
