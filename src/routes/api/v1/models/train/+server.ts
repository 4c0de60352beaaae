import type { RequestHandler } from './$types';
import { json } from '@sveltejs/kit';
import { actorName, requireAccess } from '$lib/server/auth/guards';
import { config } from '$lib/server/config';
import { getDb } from '$lib/server/db';
import { parseCancelRequest, parseTrainRequest } from '$lib/server/churn/models-overview-requests';
import { cancelTrainingJob, currentTrainJob, startTrainingJob } from '$lib/server/churn/models-overview-train';

export const POST: RequestHandler = async ({ locals, request }) => {
	const p = requireAccess(locals, { roles: ['analyst'] });
	const body = await parseTrainRequest(request);
	if (!body.ok) return json({ errors: body.errors }, { status: body.malformed ? 400 : 422 });
	const cfg = config();
	const r = await startTrainingJob(await getDb(), { ...body.value, by: actorName(p), modelsDir: cfg.modelsDir, root: cfg.root });
	if (r.ok) return json({ run_id: r.value.runId, job: r.value }, { status: 202 });
	if (r.kind === 'running') return json({ error: r.error, job: r.running }, { status: 409 });
	return json({ errors: r.errors }, { status: 422 });
};

/** Cancels the running training (the server runs one at a time); `?run_id=` makes sure it is the one meant. */
export const DELETE: RequestHandler = async ({ locals, url }) => {
	const p = requireAccess(locals, { roles: ['analyst'] });
	const q = parseCancelRequest(url);
	if (!q.ok) return json({ errors: q.errors }, { status: 422 });
	const r = await cancelTrainingJob(await getDb(), { by: actorName(p), runId: q.value.runId });
	if (!r.ok) return json({ error: r.error, job: currentTrainJob() }, { status: 409 });
	return json({ run_id: r.value.runId, job: r.value });
};
