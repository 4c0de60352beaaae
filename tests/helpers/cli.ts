// Runs the CLI in this process (src/cli/run.ts's main) and captures what it printed, for CLI tests.
import { vi } from 'vitest';
import { main } from '../../src/cli/run';

export interface CliRun {
	code: number;
	/** Lines written to stdout (console.log). */
	out: string[];
	/** Lines written to stderr (console.error). */
	err: string[];
}

export async function runCli(args: string[]): Promise<CliRun> {
	const out: string[] = [];
	const err: string[] = [];
	const log = vi.spyOn(console, 'log').mockImplementation((s: unknown) => void out.push(String(s)));
	const error = vi.spyOn(console, 'error').mockImplementation((s: unknown) => void err.push(String(s)));
	try {
		return { code: await main(args), out, err };
	} finally {
		log.mockRestore();
		error.mockRestore();
	}
}
