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

/** Every live descendant of `root` (children, their children, ...) with its command line. */
export function descendantProcesses(root: number): { pid: number; argv: string[] }[] {
	const found: { pid: number; argv: string[] }[] = [];
	const parents = new Set([root]);
	// A child's pid can be lower than its parent's (pids wrap), so repeat until no new descendant appears.
	for (let grew = true; grew; ) {
		grew = false;
		for (const d of readdirSync('/proc')) {
			if (!/^\d+$/.test(d) || parents.has(Number(d))) continue;
			try {
				const stat = readFileSync(`/proc/${d}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ');
				// A zombie has exited; only its parent has not collected it yet.
				if (stat[0] === 'Z' || !parents.has(Number(stat[1]))) continue;
				parents.add(Number(d));
				found.push({ pid: Number(d), argv: readFileSync(`/proc/${d}/cmdline`, 'utf8').split('\0').filter(Boolean) });
				grew = true;
			} catch {
				// Exited meanwhile.
			}
		}
	}
	return found;
}

/** Whether `pid` is still a running process (a zombie, exited but not yet collected, counts as gone). */
export function isRunning(pid: number): boolean {
	try {
		return readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '')[0] !== 'Z';
	} catch {
		return false;
	}
}
