// Parses argv, finds the command, runs it, turns expected failures into readable messages.
import { parseArgs } from 'node:util';
import { overrideConfig, config } from '../lib/server/config';
import { DatabaseInUseError, shutdownDb } from '../lib/server/db';
import { UsageError, type Command } from './command';
import { COMMANDS } from './commands';

function help(out: (s: string) => void): void {
	out('usage: npm run cx -- <command> [options]   (every command accepts --db PATH, default data/cx.duckdb)\n');
	for (const c of COMMANDS) out(`  ${c.usage.padEnd(60)} ${c.summary}`);
}

export async function main(argv: string[]): Promise<number> {
	const out = (s: string) => console.log(s);
	const err = (s: string) => console.error(s);
	const [name, ...rest] = argv;
	if (!name || name === 'help' || name === '--help' || name === '-h') {
		help(out);
		return name ? 0 : 2;
	}
	const cmd: Command | undefined = COMMANDS.find((c) => c.name === name);
	if (!cmd) {
		err(`cx: unknown command "${name}"`);
		help(err);
		return 2;
	}
	try {
		const { values, positionals } = parseArgs({
			args: rest,
			options: { ...cmd.options, db: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
			allowPositionals: true,
			strict: true
		});
		if (values.help) {
			out(`usage: npm run cx -- ${cmd.usage}\n${cmd.summary}`);
			return 0;
		}
		if (typeof values.db === 'string') overrideConfig({ dbPath: values.db });
		return await cmd.run({ values, positionals, out, err });
	} catch (e) {
		if (e instanceof UsageError || e instanceof DatabaseInUseError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
			err(`cx ${name}: ${(e as Error).message}`);
			if (e instanceof UsageError || !(e instanceof DatabaseInUseError)) err(`usage: npm run cx -- ${cmd.usage}`);
			return e instanceof DatabaseInUseError ? 1 : 2;
		}
		throw e;
	} finally {
		await shutdownDb(config().dbPath).catch(() => undefined);
	}
}

