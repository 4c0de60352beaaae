// GET/PUT /api/v1/me/settings: the signed-in user's own display settings ({time_zone}); the Account page
// uses it. Settings belong to users, so API keys and display tokens have none.
import { error, json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { getDb } from '$lib/server/db';
import { readJson } from '$lib/server/alerts/http-respond';
import { getUserSettings, saveUserSettings } from '$lib/server/settings/user-settings';

function userOf(locals: App.Locals) {
	const p = locals.principal;
	if (!p) error(401, 'sign in required');
	if (p.kind !== 'user') error(403, 'settings belong to a signed-in user; API keys and display tokens have none');
	return p;
}

export const GET: RequestHandler = async ({ locals }) => {
	const u = userOf(locals);
	return json({ settings: await getUserSettings(await getDb(), u.userId) }, { headers: { 'cache-control': 'no-store' } });
};

export const PUT: RequestHandler = async ({ locals, request }) => {
	const u = userOf(locals);
	const r = await saveUserSettings(await getDb(), u.userId, await readJson(request));
	if (!r.ok) return json({ error: r.errors.map((e) => e.message).join('; '), errors: r.errors }, { status: 422 });
	return json({ settings: r.value });
};
