// The alert rule state machine (DESIGN §6), after Grafana's model: normal → pending → firing →
// recovering → normal, plus nodata and error. Pure: the caller passes the clock.

export const ALERT_STATES = ['normal', 'pending', 'firing', 'recovering', 'nodata', 'error'] as const;
export type AlertState = (typeof ALERT_STATES)[number];

export const COMPARATORS = ['>', '>=', '<', '<='] as const;
export type Comparator = (typeof COMPARATORS)[number];

/** What a rule does when its query returns no value. */
export const NODATA_BEHAVIOURS = ['nodata', 'keep_last', 'ok', 'alerting'] as const;
export type NoDataBehaviour = (typeof NODATA_BEHAVIOURS)[number];

export interface ThresholdConfig {
	comparator: Comparator;
	threshold: number;
	/** While firing, the alert only recovers once the value no longer meets this (hysteresis); null: same as threshold. */
	recoveryThreshold: number | null;
	/** Seconds the condition must hold before pending becomes firing (0: fire at once). */
	pendingS: number;
	/** Seconds an alert keeps firing (state recovering) after the condition clears. */
	keepFiringS: number;
	noData: NoDataBehaviour;
}

export interface RuleState {
	state: AlertState;
	/** When the current state began (ms). */
	since: number;
	lastValue: number | null;
}

export type Observation =
	{ kind: 'value'; value: number } | { kind: 'nodata' } | { kind: 'error'; message: string };

export interface Transition {
	from: AlertState;
	to: AlertState;
	at: number;
	value: number | null;
	reason: string;
}

export interface StepResult {
	state: RuleState;
	transition: Transition | null;
	/** Whether this step should notify (start or end of firing), false while silenced. */
	notify: boolean;
}

export const INITIAL_STATE: RuleState = { state: 'normal', since: 0, lastValue: null };

export function compare(value: number, comparator: Comparator, threshold: number): boolean {
	switch (comparator) {
		case '>':
			return value > threshold;
		case '>=':
			return value >= threshold;
		case '<':
			return value < threshold;
		case '<=':
			return value <= threshold;
	}
}

const FIRING_LIKE: readonly AlertState[] = ['firing', 'recovering'];

/** Is the condition met? While firing, the recovery threshold applies (hysteresis). */
function breaches(cfg: ThresholdConfig, value: number, firing: boolean): boolean {
	const limit = firing && cfg.recoveryThreshold !== null ? cfg.recoveryThreshold : cfg.threshold;
	return compare(value, cfg.comparator, limit);
}

function next(
	prev: RuleState,
	cfg: ThresholdConfig,
	breach: boolean,
	now: number
): { to: AlertState; reason: string } {
	const held = (now - prev.since) / 1000;
	switch (prev.state) {
		case 'normal':
		case 'nodata':
		case 'error':
			if (!breach) return { to: 'normal', reason: 'condition not met' };
			return cfg.pendingS > 0
				? { to: 'pending', reason: 'condition met' }
				: { to: 'firing', reason: 'condition met' };
		case 'pending':
			if (!breach) return { to: 'normal', reason: 'condition cleared before the pending period ended' };
			return held >= cfg.pendingS
				? { to: 'firing', reason: `condition held for ${cfg.pendingS} s` }
				: { to: 'pending', reason: '' };
		case 'firing':
			if (breach) return { to: 'firing', reason: '' };
			return cfg.keepFiringS > 0
				? { to: 'recovering', reason: 'condition cleared' }
				: { to: 'normal', reason: 'condition cleared' };
		case 'recovering':
			if (breach) return { to: 'firing', reason: 'condition met again' };
			return held >= cfg.keepFiringS
				? { to: 'normal', reason: `clear for ${cfg.keepFiringS} s` }
				: { to: 'recovering', reason: '' };
	}
}

/** One evaluation of one rule at time `now`. */
export function stepRule(
	cfg: ThresholdConfig,
	prev: RuleState,
	obs: Observation,
	now: number,
	opts: { silenced?: boolean } = {}
): StepResult {
	let to: AlertState;
	let reason: string;
	let value: number | null = prev.lastValue;
	if (obs.kind === 'error') {
		to = 'error';
		reason = obs.message;
	} else if (obs.kind === 'nodata' && cfg.noData === 'nodata') {
		to = 'nodata';
		reason = 'no data';
	} else if (obs.kind === 'nodata' && cfg.noData === 'keep_last') {
		to = prev.state;
		reason = '';
	} else {
		const breach =
			obs.kind === 'value'
				? breaches(cfg, obs.value, FIRING_LIKE.includes(prev.state))
				: cfg.noData === 'alerting';
		if (obs.kind === 'value') value = obs.value;
		({ to, reason } = next(prev, cfg, breach, now));
		if (obs.kind === 'nodata')
			reason = `no data (treated as ${cfg.noData === 'alerting' ? 'alerting' : 'ok'})`;
	}
	return enter(prev, to, value, reason, now, opts);
}

/** Whether a change from `from` to `to` is announced: firing starts, or firing (or recovering) ends. */
export function notifies(from: AlertState, to: AlertState): boolean {
	const startsFiring = to === 'firing' && from !== 'recovering';
	const endsFiring = FIRING_LIKE.includes(from) && !FIRING_LIKE.includes(to);
	return startsFiring || endsFiring;
}

function enter(
	prev: RuleState,
	to: AlertState,
	value: number | null,
	reason: string,
	now: number,
	opts: { silenced?: boolean }
): StepResult {
	if (to === prev.state) return { state: { ...prev, lastValue: value }, transition: null, notify: false };
	return {
		state: { state: to, since: now, lastValue: value },
		transition: { from: prev.state, to, at: now, value, reason },
		notify: !opts.silenced && notifies(prev.state, to)
	};
}

/**
 * The rule stops being evaluated (disabled or deleted): whatever state it was in ends at normal, as a
 * clear would end it — a firing or recovering rule announces that it stopped firing (unless silenced),
 * a pending one just returns. No transition when it already was normal.
 */
export function endRule(prev: RuleState, now: number, reason: string, opts: { silenced?: boolean } = {}): StepResult {
	return enter(prev, 'normal', prev.lastValue, reason, now, opts);
}
