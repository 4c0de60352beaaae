import { json } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { config } from '$lib/server/config';
import { checkHealth } from '$lib/server/health/health';

export async function GET() {
	const h = await checkHealth(() => getDb(), config().modelsDir);
	return json(h, { status: h.db === 'ok' ? 200 : 503, headers: { 'cache-control': 'no-store' } });
}
