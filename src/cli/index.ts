// `npm run cx -- <command> …`: dispatch only; the work is in src/lib/server.
import { main } from './run';

main(process.argv.slice(2)).then(
	(code) => process.exit(code),
	(e: unknown) => {
		console.error(e);
		process.exit(1);
	}
);
