// How customers leave and come back. Crossing the tolerance makes a customer disengage (they stop
// buying and mostly stop visiting); some of them then send a formal cancellation. A few leave for
// reasons the product cannot see, and some disengaged customers recover once their debt has faded.
import type { Channel } from '../../shared/events';
import { debtRatio } from './experience';
import { SEGMENT_PROFILES } from './segments';
import { DAY_MS, sampleTime } from './time-profile';
import type { SimCustomer } from './types';
import type { DemoWorld } from './world';

/** Share of outside-reason leavers who cancel at once instead of fading away. */
const RANDOM_DIRECT_CANCEL = 0.4;
const RANDOM_LATER_CANCEL = 0.35;
/** Daily chance that a disengaged customer comes back: likely once the debt has faded, rare before. */
const RECOVERY_PER_DAY_LOW_DEBT = 0.03;
const RECOVERY_PER_DAY_HIGH_DEBT = 0.003;

function cancellationChannel(world: DemoWorld): Channel {
	return world.rng.weighted<Channel>({ web: 4, email: 3, phone: 2, app: 1, store: 0.5 });
}

function cancel(world: DemoWorld, c: SimCustomer, at: number, reason: string): void {
	world.emit(c, at, { type: 'cancellation', channel: cancellationChannel(world), attrs: { reason } });
	c.state = 'cancelled';
	c.cancelledAt = at;
}

export function disengage(world: DemoWorld, c: SimCustomer, at: number, cause: 'tolerance' | 'random'): void {
	c.state = 'disengaged';
	c.disengagedAt = at;
	c.churnCause = cause;
	const share = cause === 'tolerance' ? SEGMENT_PROFILES[c.segment].cancelShare : RANDOM_LATER_CANCEL;
	if (!world.rng.chance(share)) return;
	const when = at + world.rng.uniform(1, 25) * DAY_MS;
	world.queue.push(when, () => {
		// Recovered meanwhile (or disengaged again later): this notice is no longer meant.
		if (c.state === 'disengaged' && c.disengagedAt === at) {
			const reasons = cause === 'tolerance' ? ['service', 'price', 'quality', 'support', 'competitor'] : ['moved', 'budget', 'no_need', 'competitor'];
			cancel(world, c, when, world.rng.pick(reasons));
		}
	});
}

/** Outside-reason churn and recovery over [t0, t1). */
export function considerTransitions(world: DemoWorld, c: SimCustomer, t0: number, t1: number): void {
	const days = (t1 - t0) / DAY_MS;
	const rng = world.rng;
	if (c.state === 'active') {
		const hazard = SEGMENT_PROFILES[c.segment].randomChurnPerDay;
		if (!rng.chance(1 - Math.exp(-hazard * days))) return;
		const at = sampleTime(rng, t0, t1);
		if (rng.chance(RANDOM_DIRECT_CANCEL)) {
			world.queue.push(at, () => {
				if (c.state === 'active') {
					c.churnCause = 'random';
					c.disengagedAt = at;
					cancel(world, c, at, rng.pick(['moved', 'budget', 'no_need', 'competitor']));
				}
			});
		} else {
			world.queue.push(at, () => {
				if (c.state === 'active') disengage(world, c, at, 'random');
			});
		}
		return;
	}
	if (c.state === 'disengaged') {
		const perDay = c.churnCause === 'random' ? 0.005 : debtRatio(c, t0) < 0.5 ? RECOVERY_PER_DAY_LOW_DEBT : RECOVERY_PER_DAY_HIGH_DEBT;
		if (rng.chance(1 - Math.exp(-perDay * days))) {
			c.state = 'active';
			c.disengagedAt = null;
			c.churnCause = null;
			c.recoveries++;
		}
	}
}
