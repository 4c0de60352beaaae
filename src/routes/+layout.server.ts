import type { LayoutServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { getUserSettings } from '$lib/server/settings/user-settings';
import { displayZone } from '$lib/server/settings/display-zone';
import { TZ_COOKIE } from '$lib/shared/time-zone';

/** The zone every page renders its times in (walls and the sign-in page too); see time-display.svelte.ts. */
export const load: LayoutServerLoad = async ({ locals, cookies }) => {
	const p = locals.principal;
	const setting = p?.kind === 'user' ? (await getUserSettings(await getDb(), p.userId)).time_zone : null;
	return { timeZone: displayZone(setting, cookies.get(TZ_COOKIE)) };
};
