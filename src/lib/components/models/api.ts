// Browser calls to the model API; errors come back as readable text.
export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: string };

export async function callModelsApi<T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<ApiResult<T>> {
	try {
		const r = await fetch(path, {
			method,
			headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body)
		});
		const data = (await r.json().catch(() => ({}))) as { error?: string; message?: string; errors?: { field: string; message: string }[] };
		// A field list says it all; its summary ("2 problems; the first: …") would repeat the first one.
		if (!r.ok)
			return {
				ok: false,
				error: data.errors?.length ? data.errors.map((e) => `${e.field}: ${e.message}`).join('; ') : (data.error ?? data.message ?? `HTTP ${r.status}`)
			};
		return { ok: true, value: data as T };
	} catch (e) {
		return { ok: false, error: `network error: ${e instanceof Error ? e.message : String(e)}` };
	}
}
