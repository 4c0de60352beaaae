// Server process figures from /proc (Linux): CPU ticks (user + system) and resident memory of the
// process and its descendants (the server's scoring and training child processes count as the server).
import { readdirSync, readFileSync } from 'node:fs';

export interface ProcStats {
	cpuTicks: number;
	rssMb: number;
	/** The process alone, without its descendants. */
	ownRssMb: number;
}

/** Clock ticks per second of /proc/<pid>/stat on Linux. */
export const TICKS_PER_S = 100;

function children(pid: number): number[] {
	try {
		return readdirSync(`/proc/${pid}/task`).flatMap((tid) =>
			readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').split(' ').filter(Boolean).map(Number)
		);
	} catch {
		return [];
	}
}

/** The process and every descendant still running, summed. */
export function readProcStats(pid: number): ProcStats {
	const own = readOne(pid);
	for (const c of children(pid)) {
		try {
			const s = readProcStats(c);
			own.cpuTicks += s.cpuTicks;
			own.rssMb += s.rssMb;
		} catch {
			// exited between the listing and the read
		}
	}
	return own;
}

function readOne(pid: number): ProcStats {
	const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
	const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	const rss = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
	const mb = rss ? Number(rss[1]) / 1024 : 0;
	return { cpuTicks: Number(f[11]) + Number(f[12]), rssMb: mb, ownRssMb: mb };
}

/** CPU use between two readings, in percent of one core, to one decimal. */
export function cpuPercent(before: ProcStats, after: ProcStats, seconds: number): number {
	return Math.round(((after.cpuTicks - before.cpuTicks) / TICKS_PER_S / seconds) * 1000) / 10;
}

/** Nearest-rank percentile (q in 0..1), rounded; null without samples. */
export function percentile(xs: readonly number[], q: number): number | null {
	if (!xs.length) return null;
	const s = [...xs].sort((a, b) => a - b);
	return Math.round(s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]);
}
