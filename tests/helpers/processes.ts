// Child processes a test checks for (a training worker left behind is a CPU-eating leak the user never sees).
import { readdirSync, readFileSync } from 'node:fs';

/** Pids of the live children of `parent` whose command line contains `command`. */
export function childProcesses(parent: number, command: string): number[] {
	return readdirSync('/proc')
		.filter((d) => /^\d+$/.test(d))
		.filter((pid) => {
			try {
				const ppid = Number(readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ')[1]);
				return ppid === parent && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(command);
			} catch {
				// Exited meanwhile.
				return false;
			}
		})
		.map(Number);
}
