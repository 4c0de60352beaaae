// Request bodies of the model API, validated with field-named errors.
import { z } from 'zod';
import { CHURN_DEFINITIONS, type ChurnDefinitionOption } from './definitions';

/** The API's field error, as the alerts and events endpoints report them. */
export interface FieldProblem {
	field: string;
	message: string;
}

/** `malformed`: the body is not JSON at all (400); otherwise its fields are wrong (422). */
export type Parsed<T> = { ok: true; value: T } | { ok: false; malformed: boolean; errors: FieldProblem[] };

/** One message in words for every way a number can be wrong (the schema library's own read "Too small: expected number to be >=1"). */
const wholeNumber = (min: number, max: number, message: string) =>
	z.number({ error: message }).int({ error: message }).min(min, { error: message }).max(max, { error: message });

// The fields train and backtest share, worded once: the API and the CLI (cliRunInputs) check them here.
const cutoffDay = z.string({ error: 'must be a date (YYYY-MM-DD)' }).superRefine((d, ctx) => {
	const t = new Date(`${d}T00:00:00Z`);
	if (!/^\d{4}-\d{2}-\d{2}$/.test(d)) ctx.addIssue({ code: 'custom', message: 'must be a date (YYYY-MM-DD)' });
	else if (Number.isNaN(t.getTime()) || t.toISOString().slice(0, 10) !== d) ctx.addIssue({ code: 'custom', message: 'is not a valid date' });
});
const horizonDays = wholeNumber(1, 3650, 'must be a whole number of days from 1 to 3650');
const epochs = wholeNumber(1, 500, 'must be a whole number from 1 to 500');
const definition = z.enum(CHURN_DEFINITIONS as [ChurnDefinitionOption, ...ChurnDefinitionOption[]], { error: `must be one of ${CHURN_DEFINITIONS.join(', ')}` });

const trainBody = z
	.object({ cutoff: cutoffDay.optional(), horizon_days: horizonDays.optional(), epochs: epochs.optional(), definition: definition.optional() })
	.strict();

const backtestBody = z
	.object({ cutoff: cutoffDay.optional(), horizon_days: horizonDays.optional(), churn_definition: definition.optional(), epochs: epochs.optional() })
	.strict();

const promoteBody = z.object({ force: z.boolean({ error: 'must be true or false' }).optional() }).strict();

const cancelQuery = z.object({ run_id: z.uuid({ error: 'must be the run_id that POST /api/v1/models/train answered' }).optional() }).strict();
const cancelBacktestQuery = z.object({ run_id: z.uuid({ error: 'must be the run_id that POST /api/v1/models/backtest answered' }).optional() }).strict();

/** `takes`: the fields the request has, named when it gets another one (a typo shows what was meant). */
function issues(e: z.ZodError, takes?: readonly string[]): FieldProblem[] {
	const unknown = (k: string) => (takes ? `unknown key "${k}"; this request takes ${takes.join(', ')}` : 'unknown key');
	return e.issues.flatMap((i) =>
		// Unknown keys are one issue listing them all: one problem per key, named.
		i.code === 'unrecognized_keys'
			? i.keys.map((k) => ({ field: [...i.path, k].join('.'), message: unknown(k) }))
			: // A body that is JSON but not an object ([] or 5) has no fields to name.
				[{ field: i.path.length ? i.path.join('.') : 'body', message: i.path.length ? i.message : 'must be a JSON object' }]
	);
}

/** An empty body means all defaults. */
async function readJson(request: Request): Promise<Parsed<unknown>> {
	const text = await request.text();
	if (text.trim() === '') return { ok: true, value: {} };
	try {
		return { ok: true, value: JSON.parse(text) as unknown };
	} catch {
		return { ok: false, malformed: true, errors: [{ field: 'body', message: 'not valid JSON' }] };
	}
}

export interface TrainRequest {
	/** The validation snapshot's cutoff day; unset: the last event day minus the horizon (run-cutoff.ts). */
	cutoff?: Date;
	/** Unset: the champion's horizon (or 90 days without a champion). */
	horizonDays?: number;
	epochs?: number;
	/** Unset: the champion's churn definition (or auto without a champion). */
	definition?: ChurnDefinitionOption;
}

const day = (d: string | undefined): Date | undefined => (d ? new Date(`${d}T00:00:00Z`) : undefined);

/** A train request's fields, from a JSON body or `cx train`'s flags (cliRunInputs). */
export function trainRequestFrom(value: unknown): Parsed<TrainRequest> {
	const r = trainBody.safeParse(value);
	if (!r.success) return { ok: false, malformed: false, errors: issues(r.error, Object.keys(trainBody.shape)) };
	return { ok: true, value: { cutoff: day(r.data.cutoff), horizonDays: r.data.horizon_days, epochs: r.data.epochs, definition: r.data.definition } };
}

export async function parseTrainRequest(request: Request): Promise<Parsed<TrainRequest>> {
	const j = await readJson(request);
	return j.ok ? trainRequestFrom(j.value) : j;
}

export interface BacktestRequest {
	/** Unset: the latest cutoff the data allows. */
	cutoff?: Date;
	horizonDays?: number;
	definition?: ChurnDefinitionOption;
	epochs?: number;
}

/** A backtest request's fields, from a JSON body or `cx backtest`'s flags (cliRunInputs). */
export function backtestRequestFrom(value: unknown): Parsed<BacktestRequest> {
	const r = backtestBody.safeParse(value);
	if (!r.success) return { ok: false, malformed: false, errors: issues(r.error, Object.keys(backtestBody.shape)) };
	const d = r.data;
	return { ok: true, value: { cutoff: day(d.cutoff), horizonDays: d.horizon_days, definition: d.churn_definition, epochs: d.epochs } };
}

export async function parseBacktestRequest(request: Request): Promise<Parsed<BacktestRequest>> {
	const j = await readJson(request);
	return j.ok ? backtestRequestFrom(j.value) : j;
}

export async function parsePromoteRequest(request: Request): Promise<Parsed<{ force: boolean }>> {
	const j = await readJson(request);
	if (!j.ok) return j;
	const r = promoteBody.safeParse(j.value);
	if (!r.success) return { ok: false, malformed: false, errors: issues(r.error, Object.keys(promoteBody.shape)) };
	return { ok: true, value: { force: r.data.force === true } };
}

/** DELETE /api/v1/models/train?run_id=… (or …/backtest?run_id=…): the run to cancel, when the caller names one. */
export function parseCancelRequest(url: URL, of: 'train' | 'backtest' = 'train'): Parsed<{ runId?: string }> {
	const r = (of === 'train' ? cancelQuery : cancelBacktestQuery).safeParse(Object.fromEntries(url.searchParams));
	if (!r.success) return { ok: false, malformed: false, errors: issues(r.error) };
	return { ok: true, value: { runId: r.data.run_id } };
}
