// Runs the real CLI (`cx ARGS`) in a child process, as a user would, and measures it: wall time and
// peak resident memory of the process and its descendants (sampled from /proc twice a second).
import { spawn } from 'node:child_process';
import { ROOT } from '../../tests/helpers/server';
import { readProcStats } from './proc-stats';

export interface CliRun {
	seconds: number;
	peakRssMb: number;
	stdout: string;
}

/** `cx ARGS` with extra environment variables; stdout is kept and echoed to stderr (progress stays visible). */
export function runCli(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
	return new Promise((done, fail) => {
		const t0 = performance.now();
		const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', ...args], {
			cwd: ROOT,
			env: { ...process.env, ...env },
			stdio: ['ignore', 'pipe', 'inherit']
		});
		let stdout = '';
		let peak = 0;
		const sample = () => {
			try {
				peak = Math.max(peak, readProcStats(child.pid!).rssMb);
			} catch {
				// exited between samples
			}
		};
		const sampler = setInterval(sample, 500);
		child.stdout.on('data', (d: Buffer) => {
			stdout += d.toString();
			// The bench's JSON line stays the last line of its own stdout.
			process.stderr.write(d);
		});
		child.on('error', (e) => {
			clearInterval(sampler);
			fail(e);
		});
		child.on('exit', (code) => {
			clearInterval(sampler);
			const seconds = Number(((performance.now() - t0) / 1000).toFixed(1));
			if (code !== 0) fail(new Error(`cx ${args[0]} exited ${code} after ${seconds} s:\n${stdout}`));
			else done({ seconds, peakRssMb: Math.round(peak), stdout });
		});
	});
}
