// Which zone a page is rendered in on the server. The browser's zone is known only to the browser, which
// reports it in the cx_tz cookie (set by the root layout); before that cookie exists, UTC, labelled as
// such, so no rendered time is ever ambiguous. The browser then re-renders in its own zone.
import { canonicalZone, UTC } from '../../shared/time-zone';

export interface DisplayZoneData {
	/** The zone the server renders in: the user's setting, else the browser's (cookie), else UTC. */
	zone: string;
	/** The user's choice; null: the browser's zone. */
	setting: string | null;
	/** The browser's zone as its cookie last said; null before it has. */
	browser: string | null;
	/** The server's clock when it rendered, so relative times hydrate with the text the server wrote. */
	now: number;
}

export function displayZone(setting: string | null, cookie: string | undefined, now = Date.now()): DisplayZoneData {
	const chosen = canonicalZone(setting);
	const browser = canonicalZone(cookie);
	return { zone: chosen ?? browser ?? UTC, setting: chosen, browser, now };
}
