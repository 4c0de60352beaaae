// A metric rule's minimum sample (min_sample): a value resting on fewer observations than that is not
// judged, and the rule sees no data. Without it "CSAT below 70 %" fires on one low rating in a quiet scope.
import { findMetric } from '../metrics/definitions';
import { tooFewNote } from '../metrics/verdict';
import type { MetricRuleDef } from './rule-schema';
import type { Observation } from './state-machine';

type SampleDef = Pick<MetricRuleDef, 'metric' | 'min_sample'>;

/**
 * Why the rule does not judge a value resting on `n` observations ("too few to judge (3 CSAT ratings;
 * 10 needed)"); null when it does. An unknown count judges, as every rule did before min_sample.
 */
export function ruleSampleNote(def: SampleDef, n: number | null | undefined): string | null {
	const sample = findMetric(def.metric)?.sample;
	if (def.min_sample == null || !sample || n == null || n >= def.min_sample) return null;
	return tooFewNote(sample, n, def.min_sample);
}

/** What the state machine sees of a rule's value: the value, or no data (saying why when the sample is too small). */
export function ruleObservation(def: SampleDef, value: number | null | undefined, n: number | null | undefined): Observation {
	if (value === undefined || value === null || Number.isNaN(value)) return { kind: 'nodata' };
	const reason = ruleSampleNote(def, n);
	return reason ? { kind: 'nodata', reason, value } : { kind: 'value', value };
}
