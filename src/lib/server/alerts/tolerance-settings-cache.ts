// The tolerance settings as last read, per database: the work list reads them on every load and the alert
// matcher on every tick, and they change only when an admin saves or removes a segment's settings. As with
// the alert rules (rules.ts), one process owns the database and every change goes through one module
// (tolerance-settings.ts), which forgets the entry after each write.
import type { Db } from '../db';
import type { ToleranceSettings } from './tolerance-defaults';

type Settings = Map<string, ToleranceSettings>;

/**
 * The read is kept from its start, so a read begun before a write commits is forgotten with the entry
 * after it, never kept with the old values; a failed read is not kept.
 */
const cache = new WeakMap<Db, Promise<Settings>>();

/** `read`'s settings, shared by every caller until forgetToleranceSettings(db); each gets its own Map. */
export async function cachedToleranceSettings(db: Db, read: () => Promise<Settings>): Promise<Settings> {
	let p = cache.get(db);
	if (!p) {
		p = read();
		cache.set(db, p);
		p.catch(() => {
			if (cache.get(db) === p) cache.delete(db);
		});
	}
	return new Map(await p);
}

/** Called after every write to tolerance_settings, committed or not. */
export function forgetToleranceSettings(db: Db): void {
	cache.delete(db);
}
