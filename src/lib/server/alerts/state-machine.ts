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
	/**
	 * A notice a silence held back, owed once the rule is no longer silenced (Alertmanager's behaviour).
	 * In firing or recovering: the start of this firing, which nobody was told of, so its end is not
	 * announced either. In any other state: the end of a firing whose start was announced, so the
	 * receiver does not keep it open forever; a firing that starts again before that end is announced
	 * goes on as the one announced (nothing owed, no second start).
	 */
	unnotified: boolean;
}

/**
 * A nodata observation may still carry the value it refused to judge and why (a metric rule's minimum
 * sample, rule-sample.ts): the rule's status shows both instead of the last value judged.
 */
export type Observation =
	| { kind: 'value'; value: number }
	| { kind: 'nodata'; reason?: string; value?: number }
	| { kind: 'error'; message: string };

export interface Transition {
	from: AlertState;
	to: AlertState;
	at: number;
	value: number | null;
	reason: string;
	/** A firing's start a silence held back: when it started firing, if known (the notice's own `at` is the silence's end). */
	firingSince?: number;
}

export interface StepResult {
	state: RuleState;
	transition: Transition | null;
	/**
	 * What this step announces, null for nothing: its transition when firing starts or a notified firing
	 * ends (never while silenced), or, once the silence is over, the notice it held back (RuleState.unnotified):
	 * the start of a firing still going on, or the end of an announced one (from firing, reason "silence ended").
	 */
	notification: Transition | null;
}

export const INITIAL_STATE: RuleState = { state: 'normal', since: 0, lastValue: null, unnotified: false };

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
	let value: number | null = obs.kind === 'nodata' && obs.value !== undefined ? obs.value : prev.lastValue;
	if (obs.kind === 'error') {
		to = 'error';
		reason = obs.message;
	} else if (obs.kind === 'nodata' && cfg.noData === 'nodata') {
		to = 'nodata';
		reason = obs.reason ?? 'no data';
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
		if (obs.kind === 'nodata') {
			const treated = cfg.noData === 'alerting' ? 'alerting' : 'ok';
			reason = obs.reason ? `${obs.reason}, treated as ${treated}` : `no data (treated as ${treated})`;
		}
	}
	return enterState(prev, to, value, reason, now, opts);
}

/**
 * Moves a rule to `to` (no transition when it already is there) and decides what is announced. Exported
 * for customer rules, whose state comes from their match count rather than a threshold.
 */
export function enterState(
	prev: RuleState,
	to: AlertState,
	value: number | null,
	reason: string,
	now: number,
	opts: { silenced?: boolean } = {}
): StepResult {
	const silenced = opts.silenced === true;
	const wasFiring = FIRING_LIKE.includes(prev.state);
	const firingNow = FIRING_LIKE.includes(to);
	const owesStart = prev.unnotified && wasFiring;
	const owesEnd = prev.unnotified && !wasFiring;
	const transition: Transition | null = to === prev.state ? null : { from: prev.state, to, at: now, value, reason };
	const since = transition ? now : prev.since;
	const result = (unnotified: boolean, notification: Transition | null): StepResult => ({
		state: { state: to, since, lastValue: value, unnotified },
		transition,
		notification
	});
	const lateNotice = (from: AlertState, noticeTo: AlertState): Transition => ({
		from,
		to: noticeTo,
		at: now,
		value,
		reason: 'silence ended'
	});
	if (firingNow && !wasFiring) {
		// Its receivers still hold the announced firing open: to them it never stopped.
		if (owesEnd) return result(false, null);
		return result(silenced, silenced ? null : transition);
	}
	if (firingNow) {
		// Still the same firing (firing ⇄ recovering, or staying).
		// prev.since is when it entered its state: the firing's start only while that state is firing.
		const late = () => ({ ...lateNotice(prev.state, 'firing'), ...(prev.state === 'firing' ? { firingSince: prev.since } : {}) });
		return owesStart && !silenced ? result(false, late()) : result(prev.unnotified, null);
	}
	if (wasFiring) {
		// Never announced, so its end is not either.
		if (owesStart) return result(false, null);
		return silenced ? result(true, null) : result(false, transition);
	}
	// Pending is not announced: the owed end of the firing before it reads as normal.
	if (owesEnd && !silenced) return result(false, lateNotice('firing', to === 'pending' ? 'normal' : to));
	return result(prev.unnotified, null);
}

/**
 * The rule stops being evaluated (disabled or deleted): whatever state it was in ends at normal, as a
 * clear would end it — a firing or recovering rule announces that it stopped firing unless its start was
 * never announced, and an end a silence held back is announced now; a pending one just returns. Silences
 * do not hold this back: no later evaluation would announce the end, and the receiver would keep the
 * firing open for good. No transition when it already was normal.
 */
export function endRule(prev: RuleState, now: number, reason: string): StepResult {
	const r = enterState(prev, 'normal', prev.lastValue, reason, now);
	return { ...r, notification: r.notification && { ...r.notification, reason } };
}
