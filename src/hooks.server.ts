import type { ServerInit } from '@sveltejs/kit';
import { startServerProcess } from '$lib/server/startup';
import { DatabaseInUseError } from '$lib/server/db';

export const init: ServerInit = async () => {
	try {
		await startServerProcess();
	} catch (e) {
		if (e instanceof DatabaseInUseError) {
			console.error(`cx-command: ${e.message}`);
			process.exit(1);
		}
		throw e;
	}
};
