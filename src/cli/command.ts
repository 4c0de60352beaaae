// The shape every CLI command has. Commands live one per file in ./commands.
import type { ParseArgsConfig } from 'node:util';

export type Options = NonNullable<ParseArgsConfig['options']>;

export interface CommandContext {
	values: Record<string, string | boolean | string[] | boolean[] | undefined>;
	positionals: string[];
	/** Writes a line to stdout. */
	out: (line: string) => void;
	/** Writes a line to stderr. */
	err: (line: string) => void;
	/**
	 * Says the command was refused after opening the database and stored nothing in it: a database file
	 * this run created is removed when it ends (new-database.ts); one that existed before is kept.
	 */
	storedNothing: () => void;
}

/**
 * What a command (or one of its subcommands) accepts, so that run.ts can refuse extra arguments,
 * resolve paths and check the database before the command starts.
 */
export interface Shape {
	/**
	 * The positionals it takes, in order, named as in its usage line (none when absent). Those named FILE
	 * are paths. Missing ones are the command's to report; extra ones are refused.
	 */
	positionals?: readonly string[];
	/**
	 * What it needs of the database: 'existing' refuses a missing one (a mistyped --db must not leave an
	 * empty database behind; these commands may still write, e.g. revoke), 'create' creates it when
	 * missing (the command opens it only after all it was given is accepted: stored-database.ts), 'none'
	 * never opens it. Default 'create'.
	 */
	db?: 'none' | 'existing' | 'create';
	/** The command's options that apply here, without the dashes (default: all of them). */
	flags?: readonly string[];
}

export interface Command extends Shape {
	name: string;
	usage: string;
	summary: string;
	options: Options;
	/** Options whose values are file paths; they are resolved against the folder cx was started from. */
	paths?: readonly string[];
	/** For commands whose first positional picks what they do (`keys create`, `keys list`, …). */
	subcommands?: Record<string, Shape>;
	/** Resolves to the process exit code. */
	run: (ctx: CommandContext) => Promise<number>;
}

/** An error the user can fix by changing the command line; printed with the usage line, exit code 2. */
export class UsageError extends Error {}

/** An error the user can fix outside the command line (a file, a folder, the database); one line, exit code 1. */
export class CliError extends Error {}

/**
 * The flag's value when it is one of `allowed`; otherwise a usage error (exit 2) saying which: a value
 * outside the list is the same command-line mistake as a missing one.
 */
export function oneOf<T extends string>(flag: string, value: unknown, allowed: readonly T[]): T {
	if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
	throw new UsageError(`${flag} ${typeof value === 'string' ? `"${value}" is not` : 'is required:'} one of ${allowed.join(', ')}`);
}
