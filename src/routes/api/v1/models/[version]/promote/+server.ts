import type { RequestHandler } from './$types';
import { json } from '@sveltejs/kit';
import { actorName, requireAccess } from '$lib/server/auth/guards';
import { config } from '$lib/server/config';
import { promoteModel } from '$lib/server/churn/registry';
import { hasModelVersion } from '$lib/server/churn/models-overview';
import { parsePromoteRequest } from '$lib/server/churn/models-overview-requests';

export const POST: RequestHandler = async ({ locals, params, request }) => {
	const p = requireAccess(locals, { roles: ['analyst'] });
	const dir = config().modelsDir;
	if (!hasModelVersion(dir, params.version)) return json({ error: `no model version ${params.version}` }, { status: 404 });
	const body = await parsePromoteRequest(request);
	if (!body.ok) return json({ errors: body.errors }, { status: body.malformed ? 400 : 422 });
	const r = promoteModel(dir, params.version, { by: actorName(p), force: body.value.force });
	if (!r.ok) return json({ error: r.error }, { status: 409 });
	return json({ champion: r.value.champion, history: [...r.value.history].reverse() });
};
