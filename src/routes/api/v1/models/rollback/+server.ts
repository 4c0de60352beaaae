import type { RequestHandler } from './$types';
import { json } from '@sveltejs/kit';
import { actorName, requireAccess } from '$lib/server/auth/guards';
import { config } from '$lib/server/config';
import { rollbackModel } from '$lib/server/churn/registry';

export const POST: RequestHandler = ({ locals }) => {
	const p = requireAccess(locals, { roles: ['analyst'] });
	const r = rollbackModel(config().modelsDir, { by: actorName(p) });
	if (!r.ok) return json({ error: r.error }, { status: 409 });
	return json({ champion: r.value.champion, history: [...r.value.history].reverse() });
};
