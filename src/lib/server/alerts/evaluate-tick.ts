// One tick of alert evaluation, pure: every metric rule through the state machine against the
// tile values; customer rules from the matches DuckDB found (customer-matches.ts): rule state from the
// counts, one alert per candidate customer.
import type { CustomerCandidate, CustomerMatches } from './customer-matches';
import { describeRule, isMetricRule, tileKey, type AlertRule, type CustomerRuleDef } from './rule-schema';
import { isSilenced, type Silence, type SilenceSubject } from './silences';
import { ruleObservation } from './rule-sample';
import { enterState, INITIAL_STATE, stepRule, type RuleState, type Transition } from './state-machine';

export interface TickInput {
	now: number;
	rules: readonly AlertRule[];
	states: ReadonlyMap<string, RuleState>;
	/** Current value per tile key (see tileKey); a missing key or null means no data. */
	tiles: ReadonlyMap<string, number | null>;
	/** How many observations each tile key's value rests on (rule-tiles.ts); a missing key is judged as before min_sample. */
	samples?: ReadonlyMap<string, number>;
	/** null: customer rules are not due this tick. */
	customers: Pick<CustomerMatches, 'counts' | 'candidates'> | null;
	silences: readonly Silence[];
	/** Set when the tile values could not be computed: every metric rule goes to error. */
	tileError?: string | null;
}

export interface RuleTransition extends Transition {
	rule_id: string;
	threshold: number | null;
}

export interface CustomerAlert {
	rule_id: string;
	customer_id: string;
	reason: string;
	detail: Record<string, number | string | null>;
	probability: number | null;
	monthly_value: number;
}

export interface TickOutput {
	/** Every enabled rule's state after the tick (customer rules not due keep theirs). */
	states: Map<string, RuleState>;
	/** The rules this tick evaluated: their lastValue in `states` is current (customer rules not due are not). */
	evaluated: Set<string>;
	/** Metric rules whose value this tick did not judge, and why (too few observations: rule-sample.ts). */
	notes: Map<string, string>;
	transitions: RuleTransition[];
	/**
	 * Rules whose firing started or ended and that are not silenced, and what a silence held back (the
	 * start of a firing still going on, or the end of an announced one) announced now that it is over (a
	 * notice, not a transition: not in `transitions`).
	 */
	notifications: { rule: AlertRule; transition: RuleTransition }[];
	customerAlerts: CustomerAlert[];
}

const DAY_MS = 86_400_000;

/** What a silence matcher is checked against for a rule's own state changes and notifications. */
export function ruleSilenceSubject(rule: AlertRule): SilenceSubject {
	const def = rule.definition;
	return isMetricRule(def)
		? { rule_id: rule.id, kind: def.kind, metric: def.metric }
		: { rule_id: rule.id, kind: def.kind };
}

/** What an item shows of the condition that opened it. */
function matchDetail(
	def: CustomerRuleDef,
	c: CustomerCandidate,
	now: number
): Record<string, number | string | null> {
	switch (def.kind) {
		case 'tolerance':
			return { debt: c.debt === null ? null : Math.round(c.debt * 10) / 10, limit: c.limit };
		case 'churn':
			return { probability: c.probability };
		case 'silent':
			// The date as well: a count of days is only true on the day the item opened.
			return c.last_event_at === null
				? { silent_days: null, last_event_at: null }
				: {
						silent_days: Math.floor((now - c.last_event_at) / DAY_MS),
						last_event_at: new Date(c.last_event_at).toISOString()
					};
	}
}

export function evaluateTick(input: TickInput): TickOutput {
	const { now } = input;
	const states = new Map<string, RuleState>();
	const evaluated = new Set<string>();
	const notes = new Map<string, string>();
	const transitions: RuleTransition[] = [];
	const notifications: TickOutput['notifications'] = [];
	const customerAlerts: CustomerAlert[] = [];
	const customerRules: { rule: AlertRule; def: CustomerRuleDef }[] = [];

	for (const rule of input.rules) {
		if (!rule.enabled) continue;
		const def = rule.definition;
		const prev = input.states.get(rule.id) ?? { ...INITIAL_STATE, since: now };
		if (!isMetricRule(def)) {
			if (input.customers) customerRules.push({ rule, def });
			else states.set(rule.id, prev);
			continue;
		}
		const key = tileKey(def);
		const obs = ruleObservation(def, input.tiles.get(key), input.samples?.get(key));
		if (obs.kind === 'nodata' && obs.reason) notes.set(rule.id, obs.reason);
		const silenced = isSilenced(input.silences, ruleSilenceSubject(rule), now);
		const cfg = {
			comparator: def.comparator,
			threshold: def.threshold,
			recoveryThreshold: def.recovery_threshold,
			pendingS: def.pending_s,
			keepFiringS: def.keep_firing_s,
			noData: def.nodata
		};
		const r = stepRule(cfg, prev, obs, now, { silenced });
		states.set(rule.id, r.state);
		evaluated.add(rule.id);
		if (r.transition) transitions.push({ ...r.transition, rule_id: rule.id, threshold: def.threshold });
		if (r.notification)
			notifications.push({ rule, transition: { ...r.notification, rule_id: rule.id, threshold: def.threshold } });
	}

	if (customerRules.length && input.customers) {
		for (const c of input.customers.candidates) {
			for (const { rule, def } of customerRules) {
				if (!c.matches.includes(rule.id)) continue;
				if (isSilenced(input.silences, { rule_id: rule.id, kind: def.kind, customer_id: c.customer_id }, now))
					continue;
				// One work item per customer: the first matching rule not silenced (in rule order) names the
				// reason. Inside that reason's re-open cool-down none: left out here rather than by the write,
				// so the alerts a tick opens first are ones that can open.
				if (!c.cooling_reasons.includes(def.kind))
					customerAlerts.push({
						rule_id: rule.id,
						customer_id: c.customer_id,
						reason: def.kind,
						detail: { ...matchDetail(def, c, now), rule: describeRule(def) },
						probability: c.probability,
						monthly_value: c.monthly_value
					});
				break;
			}
		}
		for (const { rule } of customerRules) {
			const prev = input.states.get(rule.id) ?? { ...INITIAL_STATE, since: now };
			const n = input.customers.counts.get(rule.id) ?? 0;
			evaluated.add(rule.id);
			// A rule edited from a metric rule may come from pending, nodata or recovering: only the start
			// and end of firing are announced, as for metric rules.
			const r = enterState(prev, n > 0 ? 'firing' : 'normal', n, `${n} customers match`, now, {
				silenced: isSilenced(input.silences, ruleSilenceSubject(rule), now)
			});
			states.set(rule.id, r.state);
			if (r.transition) transitions.push({ ...r.transition, rule_id: rule.id, threshold: null });
			if (r.notification)
				notifications.push({ rule, transition: { ...r.notification, rule_id: rule.id, threshold: null } });
		}
	}
	return { states, evaluated, notes, transitions, notifications, customerAlerts };
}
