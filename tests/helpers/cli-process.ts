// The CLI as a user runs it: a child process, against real files. (cli.ts runs it in the test's own process,
// which loads every command.)
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { ROOT } from './server';

/** `npm run cx -- …args` in a child process (tsx), waited for: its exit status, stdout and stderr. */
export function cxProcess(...args: string[]): SpawnSyncReturns<string> {
	return spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', ...args], {
		cwd: ROOT,
		encoding: 'utf8'
	});
}
