// GET /api/v1/me: who the server thinks is calling (user, API key or display token). Never includes secrets.
import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { requireAccess } from '$lib/server/auth/guards';

export const GET: RequestHandler = ({ locals }) => {
	const p = requireAccess(locals, { roles: ['analyst', 'retention', 'executive'], scopes: ['ingest'] });
	return json(p, { headers: { 'cache-control': 'no-store' } });
};
