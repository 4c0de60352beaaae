// Incidents: a channel outage or a slow support team, drawn per UTC day from the seed alone, so the
// history and a later live process agree on when they happen.
import type { Channel } from '../../shared/events';
import { hashSeed, Rng } from './rng';
import { DAY_MS, HOUR_MS } from './time-profile';

export type IncidentKind = 'channel_outage' | 'slow_support';

export interface Incident {
	id: string;
	kind: IncidentKind;
	/** The channel that is down (outages only). */
	channel: Channel | null;
	start: number;
	end: number;
	/** 0.5..1: how hard it hits. */
	severity: number;
}

/** Chance that a given day has an incident. */
export const INCIDENT_DAILY_CHANCE = 0.11;
const OUTAGE_CHANNELS: readonly Channel[] = ['web', 'app', 'chat', 'phone'];

export class IncidentCalendar {
	private readonly cache = new Map<number, Incident | null>();

	constructor(private readonly seed: number) {}

	/** The incident starting on UTC day number `day` (days since epoch), if any. */
	forDay(day: number): Incident | null {
		const hit = this.cache.get(day);
		if (hit !== undefined) return hit;
		const rng = new Rng(hashSeed('incident', this.seed, day));
		let incident: Incident | null = null;
		if (rng.chance(INCIDENT_DAILY_CHANCE)) {
			const kind: IncidentKind = rng.chance(0.55) ? 'channel_outage' : 'slow_support';
			const start = day * DAY_MS + rng.int(6, 19) * HOUR_MS + rng.int(0, 59) * 60_000;
			const hours = kind === 'channel_outage' ? rng.uniform(1.5, 8) : rng.uniform(4, 14);
			incident = {
				id: `inc-${this.seed}-${day}`,
				kind,
				channel: kind === 'channel_outage' ? rng.pick(OUTAGE_CHANNELS) : null,
				start,
				end: start + Math.round(hours * HOUR_MS),
				severity: rng.uniform(0.5, 1)
			};
		}
		if (this.cache.size > 4096) this.cache.clear();
		this.cache.set(day, incident);
		return incident;
	}

	/** The incident in effect at time t (incidents may run past midnight). */
	at(t: number): Incident | null {
		const day = Math.floor(t / DAY_MS);
		for (const d of [day, day - 1]) {
			const inc = this.forDay(d);
			if (inc && inc.start <= t && t < inc.end) return inc;
		}
		return null;
	}

	/** Every incident overlapping [t0, t1). */
	between(t0: number, t1: number): Incident[] {
		const out: Incident[] = [];
		for (let d = Math.floor(t0 / DAY_MS) - 1; d <= Math.floor(t1 / DAY_MS); d++) {
			const inc = this.forDay(d);
			if (inc && inc.end > t0 && inc.start < t1) out.push(inc);
		}
		return out;
	}
}
