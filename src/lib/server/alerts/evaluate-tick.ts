// One tick of alert evaluation, pure: every metric rule through the state machine against the
// tile values, every customer rule against the customer snapshot.
import { debtAt } from './debt';
import { describeRule, isMetricRule, tileKey, type AlertRule, type CustomerRuleDef } from './rule-schema';
import { isSilenced, type Silence } from './silences';
import { INITIAL_STATE, stepRule, type Observation, type RuleState, type Transition } from './state-machine';

export interface CustomerSnapshot {
	customer_id: string;
	segment: string;
	monthly_value: number;
	debt: number;
	/** Time the debt value refers to (ms). */
	debt_at: number;
	half_life_days: number;
	limit: number;
	probability: number | null;
	last_event_at: number | null;
	/** Already has an unresolved work item: counted as matching, but no new alert. */
	has_open_item?: boolean;
	/** Reasons of this customer's items resolved within the re-open cool-down: no new item for them. */
	cooling_reasons?: readonly string[];
}

export interface TickInput {
	now: number;
	rules: readonly AlertRule[];
	states: ReadonlyMap<string, RuleState>;
	/** Current value per tile key (see tileKey); a missing key or null means no data. */
	tiles: ReadonlyMap<string, number | null>;
	/** null: customer rules are not due this tick. */
	customers: readonly CustomerSnapshot[] | null;
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
	states: Map<string, RuleState>;
	transitions: RuleTransition[];
	/** Rules whose firing started or ended and that are not silenced. */
	notifications: { rule: AlertRule; transition: RuleTransition }[];
	customerAlerts: CustomerAlert[];
	/** Customer rules evaluated this tick → the customers matching each (with or without an open item). */
	customerMatches: Map<string, Set<string>>;
}

const DAY_MS = 86_400_000;

function customerMatch(
	def: CustomerRuleDef,
	c: CustomerSnapshot,
	now: number
): Record<string, number | string | null> | null {
	switch (def.kind) {
		case 'tolerance': {
			const debt = debtAt({ debt: c.debt, at: c.debt_at }, now, c.half_life_days);
			return debt >= c.limit ? { debt: Math.round(debt * 10) / 10, limit: c.limit } : null;
		}
		case 'churn':
			return c.probability !== null && c.probability >= def.min_probability
				? { probability: c.probability }
				: null;
		case 'silent': {
			if (c.monthly_value < def.min_monthly_value || c.last_event_at === null) return null;
			const days = (now - c.last_event_at) / DAY_MS;
			// The date as well: a count of days is only true on the day the item opened.
			return days >= def.days ? { silent_days: Math.floor(days), last_event_at: new Date(c.last_event_at).toISOString() } : null;
		}
	}
}

export function evaluateTick(input: TickInput): TickOutput {
	const { now } = input;
	const states = new Map<string, RuleState>();
	const transitions: RuleTransition[] = [];
	const notifications: TickOutput['notifications'] = [];
	const customerAlerts: CustomerAlert[] = [];
	const customerRules: { rule: AlertRule; def: CustomerRuleDef }[] = [];
	const customerMatches = new Map<string, Set<string>>();

	for (const rule of input.rules) {
		if (!rule.enabled) continue;
		const def = rule.definition;
		const prev = input.states.get(rule.id) ?? { ...INITIAL_STATE, since: now };
		if (!isMetricRule(def)) {
			if (input.customers) customerRules.push({ rule, def });
			else states.set(rule.id, prev);
			continue;
		}
		const v = input.tiles.get(tileKey(def));
		const obs: Observation =
			v === undefined || v === null || Number.isNaN(v) ? { kind: 'nodata' } : { kind: 'value', value: v };
		const silenced = isSilenced(
			input.silences,
			{ rule_id: rule.id, kind: def.kind, metric: def.metric },
			now
		);
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
		if (r.transition) {
			const t = { ...r.transition, rule_id: rule.id, threshold: def.threshold };
			transitions.push(t);
			if (r.notify) notifications.push({ rule, transition: t });
		}
	}

	if (customerRules.length && input.customers) {
		for (const { rule } of customerRules) customerMatches.set(rule.id, new Set());
		const matched = new Map<string, number>();
		const alerted = new Set<string>();
		for (const c of input.customers) {
			for (const { rule, def } of customerRules) {
				const detail = customerMatch(def, c, now);
				if (!detail) continue;
				matched.set(rule.id, (matched.get(rule.id) ?? 0) + 1);
				customerMatches.get(rule.id)!.add(c.customer_id);
				// One work item per customer: the first matching rule (in rule order) names the reason.
				if (alerted.has(c.customer_id) || c.has_open_item) continue;
				if (isSilenced(input.silences, { rule_id: rule.id, kind: def.kind, customer_id: c.customer_id }, now))
					continue;
				alerted.add(c.customer_id);
				// Left out here rather than by the write, so the alerts a tick opens first are ones that can open.
				if (c.cooling_reasons?.includes(def.kind)) continue;
				customerAlerts.push({
					rule_id: rule.id,
					customer_id: c.customer_id,
					reason: def.kind,
					detail: { ...detail, rule: describeRule(def) },
					probability: c.probability,
					monthly_value: c.monthly_value
				});
			}
		}
		for (const { rule } of customerRules) {
			const prev = input.states.get(rule.id) ?? { ...INITIAL_STATE, since: now };
			const n = matched.get(rule.id) ?? 0;
			const to = n > 0 ? 'firing' : 'normal';
			if (to === prev.state) {
				states.set(rule.id, { ...prev, lastValue: n });
				continue;
			}
			states.set(rule.id, { state: to, since: now, lastValue: n });
			const t: RuleTransition = {
				rule_id: rule.id,
				from: prev.state,
				to,
				at: now,
				value: n,
				threshold: null,
				reason: `${n} customers match`
			};
			transitions.push(t);
			if (!isSilenced(input.silences, { rule_id: rule.id, kind: rule.definition.kind }, now))
				notifications.push({ rule, transition: t });
		}
	}
	return { states, transitions, notifications, customerAlerts, customerMatches };
}
