// Parses argv, finds the command, runs it, turns expected failures into readable messages.
import { parseArgs } from 'node:util';
import { overrideConfig, config } from '../lib/server/config';
import { DatabaseInUseError, NewerSchemaError, shutdownDb } from '../lib/server/db';
import { RegistryFileError } from '../lib/server/churn/registry';
import { CliError, UsageError, type Command, type CommandContext, type Options, type Shape } from './command';
import { COMMANDS } from './commands';
import { renderCommandHelp, renderGeneralHelp } from './help';
import { newDatabaseAt, removeNewDatabase, type NewDatabase } from './new-database';
import { checkDatabasePath, resolveUserPath } from './paths';

const or = (names: string[]) => (names.length > 1 ? `${names.slice(0, -1).join(', ')} or ${names.at(-1)}` : names.join(''));

/** The shape that applies to this invocation, and the words naming it (`keys list`); refuses an unknown subcommand. */
function shapeOf(cmd: Command, positionals: string[]): { shape: Shape; label: string; skip: number } {
	if (!cmd.subcommands) return { shape: cmd, label: cmd.name, skip: 0 };
	const names = Object.keys(cmd.subcommands);
	const sub = positionals[0];
	if (!sub) throw new UsageError(`say ${or(names)}`);
	if (!Object.hasOwn(cmd.subcommands, sub)) throw new UsageError(`unknown subcommand "${sub}" (${or(names)})`);
	return { shape: cmd.subcommands[sub], label: `${cmd.name} ${sub}`, skip: 1 };
}

/** Refuses what the command would otherwise silently ignore: extra positionals, options of another subcommand. */
function checkArguments(cmd: Command, at: { shape: Shape; label: string; skip: number }, positionals: string[], typed: Set<string>): void {
	const names = at.shape.positionals ?? [];
	const extra = positionals.slice(at.skip + names.length);
	if (extra.length) {
		const takes = names.length ? `takes only ${names.join(' ')}` : 'takes no arguments';
		throw new UsageError(`unexpected argument${extra.length > 1 ? 's' : ''} ${extra.map((x) => JSON.stringify(x)).join(' ')}: ${at.label} ${takes}`);
	}
	const flags = at.shape.flags;
	if (!flags) return;
	for (const name of typed) {
		if (name in cmd.options && !flags.includes(name)) throw new UsageError(`--${name} does not apply to ${at.label}`);
	}
}

/** Relative paths mean the folder the user ran cx from, which `npm run` is no longer in. */
function resolvePaths(cmd: Command, at: { shape: Shape; skip: number }, values: CommandContext['values'], positionals: string[]): void {
	for (const name of [...(cmd.paths ?? []), 'db']) {
		const v = values[name];
		if (v === '') throw new UsageError(`--${name} needs a path, not an empty string`);
		if (typeof v === 'string') values[name] = resolveUserPath(v);
	}
	(at.shape.positionals ?? []).forEach((name, i) => {
		const j = at.skip + i;
		if (name === 'FILE' && positionals[j] !== undefined) positionals[j] = resolveUserPath(positionals[j]);
	});
}

/**
 * `--horizon-days -3` as `--horizon-days=-3`: parseArgs takes a value starting with "-" only in the second
 * form and calls the first ambiguous, so a negative number would get its message instead of the field's.
 */
function joinNegativeValues(args: string[], options: Options): string[] {
	const out: string[] = [];
	for (let i = 0; i < args.length; i++) {
		const a = args[i];
		if (a === '--') return [...out, ...args.slice(i)];
		const next = args[i + 1];
		if (/^--[^=]+$/.test(a) && options[a.slice(2)]?.type === 'string' && next !== undefined && /^-\.?\d/.test(next)) {
			out.push(`${a}=${next}`);
			i++;
		} else out.push(a);
	}
	return out;
}

/** parseArgs' refusals in the CLI's own words (its text quotes unevenly and suggests `--` to users who mistyped a flag). */
function parseArgsMessage(e: Error, args: string[]): string {
	const unknown = /^Unknown option '([^']+)'/.exec(e.message);
	if (unknown) return `unknown option ${unknown[1]}`;
	const missing = /^Option '(?:-\w, )?(--[^' ]+) <value>' argument missing/.exec(e.message);
	if (missing) return `${missing[1]} needs a value`;
	const ambiguous = /^Option '(?:-\w, )?(--[^']+)' argument is ambiguous/.exec(e.message);
	if (ambiguous) {
		// The next word is another option (the value was left out), or a value that starts with "-".
		const at = args.indexOf(ambiguous[1]);
		const next = at >= 0 ? (args[at + 1] ?? '') : '';
		return `${ambiguous[1]} needs a value${next.startsWith('--') ? '' : ` (one starting with "-" goes after "=": ${ambiguous[1]}=-…)`}`;
	}
	const flag = /^Option '(?:-\w, )?(--[^']+)' does not take an argument/.exec(e.message);
	if (flag) return `${flag[1]} takes no value`;
	return e.message.split('\n')[0];
}

/** `cx --db PATH users list` as `cx users list --db PATH`: --db applies to every command, so it may come first. */
function dbFirst(argv: string[]): string[] {
	if (argv[0] === '--db') return argv.length > 2 ? [argv[2], '--db', argv[1], ...argv.slice(3)] : [];
	if (argv[0]?.startsWith('--db=')) return argv.length > 1 ? [argv[1], argv[0], ...argv.slice(2)] : [];
	return argv;
}

/**
 * The command `help` is asked about, past a --db given with it (`cx --db X help users`, moved after `help`
 * by dbFirst): the help text is the same whichever database is named, so --db is accepted and not used.
 */
function helpTopic(words: string[]): string | undefined {
	for (let i = 0; i < words.length; i++) {
		if (words[i] === '--db') i++;
		else if (!words[i].startsWith('--db=')) return words[i];
	}
	return undefined;
}

const ERRNO_TEXT: Record<string, string> = {
	ENOENT: 'no such file or folder',
	EISDIR: 'is a folder, not a file',
	ENOTDIR: 'a part of the path is a file, not a folder',
	EEXIST: 'a file is in the way of a folder',
	EACCES: 'permission denied',
	EPERM: 'operation not permitted',
	EROFS: 'read-only file system',
	ENOSPC: 'no space left on the device',
	EDQUOT: 'disk quota exceeded',
	EFBIG: 'file too large',
	ENAMETOOLONG: 'file name too long'
};

/** One line for a failure caused by files or the database rather than by a bug, else null. */
export function readableFailure(e: unknown): string | null {
	if (e instanceof CliError || e instanceof DatabaseInUseError || e instanceof NewerSchemaError || e instanceof RegistryFileError) return e.message;
	if (!(e instanceof Error)) return null;
	const errno = e as NodeJS.ErrnoException;
	if (typeof errno.code === 'string' && typeof errno.path === 'string' && ERRNO_TEXT[errno.code]) return `${ERRNO_TEXT[errno.code]} (${errno.path})`;
	// DuckDB reports file problems (a folder given as a file, a full disk) as "IO Error: …".
	const io = /^IO Error: (.*)/s.exec(e.message);
	if (io) {
		const first = io[1].split('\n')[0];
		const m = /^(.+?) "([^"]+)": (.+)$/.exec(first);
		return m ? `${m[1].toLowerCase()}: ${m[3].toLowerCase()} (${m[2]})` : first;
	}
	return null;
}

export async function main(argv: string[]): Promise<number> {
	const out = (s: string) => console.log(s);
	const err = (s: string) => console.error(s);
	const [name, ...rest] = dbFirst(argv);
	if (!name || name === 'help' || name === '--help' || name === '-h') {
		const topic = name === 'help' ? helpTopic(rest) : undefined;
		if (topic === undefined) {
			renderGeneralHelp(COMMANDS).forEach(out);
			return name ? 0 : 2;
		}
		const c = COMMANDS.find((x) => x.name === topic);
		if (!c) {
			err(`cx help: unknown command "${topic}"`);
			renderGeneralHelp(COMMANDS).forEach(err);
			return 2;
		}
		renderCommandHelp(config(), c).forEach(out);
		return 0;
	}
	const cmd: Command | undefined = COMMANDS.find((c) => c.name === name);
	if (!cmd) {
		err(`cx: unknown command "${name}"`);
		renderGeneralHelp(COMMANDS).forEach(err);
		return 2;
	}
	let args = rest;
	let created: NewDatabase | null = null;
	let storedNothing = false;
	try {
		const options = { ...cmd.options, db: { type: 'string' as const }, help: { type: 'boolean' as const, short: 'h' } };
		args = joinNegativeValues(rest, options);
		const { values, positionals, tokens } = parseArgs({
			args,
			options,
			allowPositionals: true,
			strict: true,
			tokens: true
		});
		if (values.help) {
			renderCommandHelp(config(), cmd).forEach(out);
			return 0;
		}
		const at = shapeOf(cmd, positionals);
		const typedList = tokens.flatMap((t) => (t.kind === 'option' ? [t.name] : []));
		// Two (say one before the command and one after it) would leave the database to a guess.
		if (typedList.filter((t) => t === 'db').length > 1) throw new UsageError('give --db once');
		const typed = new Set(typedList);
		checkArguments(cmd, at, positionals, typed);
		resolvePaths(cmd, at, values, positionals);
		if (typeof values.db === 'string') overrideConfig({ dbPath: values.db });
		const use = at.shape.db ?? 'create';
		if (use !== 'none') checkDatabasePath(config().dbPath, use, typeof values.db === 'string' ? '--db' : 'the database');
		if (use === 'create') created = newDatabaseAt(config().dbPath);
		return await cmd.run({ values, positionals, out, err, storedNothing: () => void (storedNothing = true) });
	} catch (e) {
		if (e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
			err(`cx ${name}: ${e instanceof UsageError ? e.message : parseArgsMessage(e as Error, args)}`);
			err(`usage: npm run cx -- ${cmd.usage}`);
			return 2;
		}
		const line = readableFailure(e);
		if (line === null) throw e;
		err(`cx ${name}: ${line}`);
		return 1;
	} finally {
		await shutdownDb(config().dbPath).catch(() => undefined);
		if (storedNothing && created) removeNewDatabase(created);
	}
}
