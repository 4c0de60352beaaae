// "Over the last 24 h this rule would have fired N times": replays a metric rule through the state
// machine on the metric's values recomputed from the rollups at evenly spaced past instants.
import type { Db } from '../db';
import { findMetric } from '../metrics/definitions';
import { computeTileSet } from '../metrics/tiles';
import { sampleSize } from '../metrics/verdict';
import { ruleObservation } from './rule-sample';
import { metricRuleSchema, issuesToErrors, RULE_KINDS, type FieldError } from './rule-schema';
import { INITIAL_STATE, stepRule, type AlertState, type RuleState } from './state-machine';

export interface PreviewResult {
	fired: number;
	hours: number;
	stepMinutes: number;
	/** Checks whose value rested on fewer observations than the rule's min_sample (judged as no data). */
	tooFew: number;
	/** The latest such check's reason ("too few to judge (3 CSAT ratings; 10 needed)"); null when none. */
	tooFewNote: string | null;
	/** `note`: why this check did not judge its value (min_sample), else null. */
	samples: { at: string; value: number | null; state: AlertState; note: string | null }[];
}

/**
 * A customer rule has no 24 h of values to replay: it fires per customer, once a minute, on customers as
 * they are now. Said in words instead of zod's "expected metric" and the customer rule's keys as unknown.
 */
function customerRuleRefusal(definition: unknown): FieldError | null {
	const kind =
		typeof definition === 'object' && definition !== null
			? (definition as { kind?: unknown }).kind
			: undefined;
	if (kind === 'metric' || !(RULE_KINDS as readonly unknown[]).includes(kind)) return null;
	return {
		field: 'definition.kind',
		message: `preview works for metric rules; ${String(kind)} rules fire per customer — the Alert rules list on the Alerts page shows how many customers such a rule matches now, and the work list there an item for each`
	};
}

export async function previewMetricRule(
	db: Db,
	definition: unknown,
	opts: { hours?: number; steps?: number; now?: number } = {}
): Promise<{ ok: true; value: PreviewResult } | { ok: false; errors: FieldError[] }> {
	const refusal = customerRuleRefusal(definition);
	if (refusal) return { ok: false, errors: [refusal] };
	const p = metricRuleSchema.safeParse(definition);
	if (!p.success) return { ok: false, errors: issuesToErrors(p.error.issues, 'definition.') };
	const def = p.data;
	const metric = findMetric(def.metric);
	if (!metric)
		return { ok: false, errors: [{ field: 'definition.metric', message: `unknown metric ${def.metric}` }] };
	const hours = opts.hours ?? 24;
	const steps = opts.steps ?? 48;
	const now = opts.now ?? Date.now();
	const stepMs = (hours * 3600_000) / steps;
	const cfg = {
		comparator: def.comparator,
		threshold: def.threshold,
		recoveryThreshold: def.recovery_threshold,
		pendingS: def.pending_s,
		keepFiringS: def.keep_firing_s,
		noData: def.nodata
	};
	let state: RuleState = { ...INITIAL_STATE, since: now - hours * 3600_000 };
	let fired = 0;
	let tooFew = 0;
	let tooFewNote: string | null = null;
	const samples: PreviewResult['samples'] = [];
	for (let i = 0; i <= steps; i++) {
		const at = now - hours * 3600_000 + i * stepMs;
		const set = await computeTileSet(db, {
			window: metric.defaultWindow,
			now: new Date(at),
			channel: def.scope.kind === 'channel' ? def.scope.value : null,
			segment: def.scope.kind === 'segment' ? def.scope.value : null,
			metrics: [def.metric],
			// The value alone: a sparkline per step would read trailing windows for every step.
			currentOnly: true
		});
		const tile = set.tiles[0];
		const value = tile?.value ?? null;
		const obs = ruleObservation(def, value, tile ? sampleSize(metric, tile.counts) : null);
		const note = obs.kind === 'nodata' ? (obs.reason ?? null) : null;
		if (note) {
			tooFew++;
			tooFewNote = note;
		}
		const r = stepRule(cfg, state, obs, at);
		if (r.transition?.to === 'firing' && r.transition.from !== 'recovering') fired++;
		state = r.state;
		samples.push({ at: new Date(at).toISOString(), value, state: state.state, note });
	}
	return { ok: true, value: { fired, hours, stepMinutes: stepMs / 60_000, tooFew, tooFewNote, samples } };
}
