// Server process figures from /proc (Linux): CPU ticks (user + system) and resident memory.
import { readFileSync } from 'node:fs';

export interface ProcStats {
	cpuTicks: number;
	rssMb: number;
}

/** Clock ticks per second of /proc/<pid>/stat on Linux. */
export const TICKS_PER_S = 100;

export function readProcStats(pid: number): ProcStats {
	const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
	const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	const rss = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
	return { cpuTicks: Number(f[11]) + Number(f[12]), rssMb: rss ? Number(rss[1]) / 1024 : 0 };
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
