import { fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requireUser } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db';
import { changeOwnPassword } from '$lib/server/auth/change-password';
import { loginRateLimiter } from '$lib/server/auth/rate-limit';
import { MIN_PASSWORD_LENGTH } from '$lib/server/auth/password';
import { knownZones } from '$lib/shared/time-zone';

export const load: PageServerLoad = ({ locals }) => {
	const u = requireUser(locals);
	// The server's list of zones: it is the server that accepts the choice (and the server and browser render
	// the same options, whatever the browser's own list holds).
	return { username: u.username, role: u.role, minLength: MIN_PASSWORD_LENGTH, zones: knownZones() };
};

export const actions: Actions = {
	changePassword: async ({ locals, request, getClientAddress }) => {
		const u = requireUser(locals);
		const form = await request.formData();
		const field = (k: string) => {
			const v = form.get(k);
			return typeof v === 'string' ? v : '';
		};
		let address: string;
		try {
			address = getClientAddress();
		} catch {
			// adapter-node throws when ADDRESS_HEADER is set and the request did not pass the proxy.
			return fail(400, {
				field: 'current',
				message:
					'use the address your administrator gave you (this request did not pass the proxy the server expects)'
			});
		}
		const r = await changeOwnPassword(await getDb(), loginRateLimiter(), {
			userId: u.userId,
			sessionId: u.sessionId,
			current: field('current'),
			next: field('next'),
			confirm: field('confirm'),
			address
		});
		if (!r.ok)
			return fail(r.error.startsWith('too many') ? 429 : 400, { field: r.field ?? null, message: r.error });
		const others = r.value.endedSessions;
		return {
			done: `Password changed.${others ? ` Signed out ${others} other session${others === 1 ? '' : 's'} of yours.` : ''}`
		};
	}
};
