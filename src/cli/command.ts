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
}

export interface Command {
	name: string;
	usage: string;
	summary: string;
	options: Options;
	/** Resolves to the process exit code. */
	run: (ctx: CommandContext) => Promise<number>;
}

/** An error the user can fix; printed without a stack trace. */
export class UsageError extends Error {}
