// First start: with no users at all, create `admin` with a random password and print it once.
import type { StartupStep } from '../startup';
import { countUsers, createUser } from './users';

export const adminBootstrapStep: StartupStep = {
	name: 'admin bootstrap',
	async run(db) {
		if ((await countUsers(db)) > 0) return;
		const r = await createUser(db, { username: 'admin', role: 'admin' });
		if (!r.ok) throw new Error(`could not create the first admin: ${r.error}`);
		// Deliberately console, not log: must show at any log level, and it is the only place a password is printed.
		// The line must end in `password: <password>` (operators and tests read it from there).
		console.log(`cx-command: first start, created user "admin" (role admin); sign in at /login, this is shown only once. password: ${r.value.generatedPassword}`);
	}
};
