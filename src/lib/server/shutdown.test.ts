import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ShutdownSequence, shutdownSummary } from './shutdown';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let lines: string[] = [];

beforeEach(() => {
	lines = [];
	const keep = (...a: unknown[]) => void lines.push(a.map(String).join(' '));
	vi.spyOn(console, 'log').mockImplementation(keep);
	vi.spyOn(console, 'error').mockImplementation(keep);
});
afterEach(() => vi.restoreAllMocks());

describe('shutdown sequence', () => {
	it('stops every writer, each after its work in progress, before the checkpoint starts', async () => {
		const seq = new ShutdownSequence();
		const events: string[] = [];
		// Registered checkpoint first: the phase decides the order, not the registration.
		seq.add({ name: 'checkpoint', phase: 'checkpoint', stop: () => void events.push('checkpoint') });
		const writer = (name: string, ms: number) => async () => {
			events.push(`${name} stopping`);
			await sleep(ms);
			events.push(`${name} stopped`);
		};
		seq.add({ name: 'alerts', phase: 'writers', stop: writer('alerts', 60) });
		seq.add({ name: 'demo', phase: 'writers', stop: writer('demo', 20) });
		const report = await seq.run();
		// Writers side by side (both begin before either ends), the checkpoint after the slowest.
		expect(events).toEqual(['alerts stopping', 'demo stopping', 'demo stopped', 'alerts stopped', 'checkpoint']);
		expect(report.outcomes.map((o) => [o.name, o.result])).toEqual([
			['alerts', 'done'],
			['demo', 'done'],
			['checkpoint', 'done']
		]);
		expect(report.phaseMs.writers).toBeGreaterThanOrEqual(55);
		expect(shutdownSummary(report)).toMatch(/^shutdown: stopped alerts, demo in \d+ ms; checkpoint done in \d+ ms$/);
	});

	it('goes on without a step that hangs, names it, and still checkpoints', async () => {
		const seq = new ShutdownSequence();
		let checkpointed = false;
		seq.add({ name: 'alerts', phase: 'writers', stop: () => new Promise<void>(() => undefined), timeoutMs: 50 });
		seq.add({ name: 'demo', phase: 'writers', stop: () => Promise.reject(new Error('seeding broke')) });
		seq.add({ name: 'checkpoint', phase: 'checkpoint', stop: () => void (checkpointed = true) });
		const t = performance.now();
		const report = await seq.run();
		expect(performance.now() - t).toBeLessThan(1_000);
		expect(checkpointed).toBe(true);
		expect(report.outcomes.find((o) => o.name === 'alerts')?.result).toBe('timeout');
		expect(report.outcomes.find((o) => o.name === 'demo')).toMatchObject({ result: 'failed', error: 'seeding broke' });
		expect(lines.some((l) => l.includes('WARN') && l.includes('shutdown: alerts did not finish within 0.05 s'))).toBe(true);
		expect(shutdownSummary(report)).toMatch(/alerts did not finish within 0.05 s; demo failed: seeding broke; checkpoint done in \d+ ms$/);
	});

	it('runs once when the shutdown event comes twice, with one summary line', async () => {
		const seq = new ShutdownSequence();
		const emitter = new EventEmitter();
		const exit = vi.fn();
		let stops = 0;
		seq.add({ name: 'demo', phase: 'writers', stop: async () => (await sleep(30), void stops++) });
		seq.listen(emitter, 'sveltekit:shutdown', exit);
		// A second listen (a dev-server reload registering again) adds no second listener.
		seq.listen(emitter, 'sveltekit:shutdown', exit);
		emitter.emit('sveltekit:shutdown', 'SIGINT');
		await sleep(5);
		emitter.emit('sveltekit:shutdown', 'SIGINT');
		await seq.run();
		await sleep(20);
		expect(stops).toBe(1);
		expect(lines.filter((l) => l.includes('shutdown: stopped demo in'))).toHaveLength(1);
		expect(exit).not.toHaveBeenCalled();
	});

	it('exits the process soon after a step timed out (what it still runs could keep it up)', async () => {
		const seq = new ShutdownSequence();
		const exit = vi.fn();
		const emitter = new EventEmitter();
		seq.add({ name: 'live ticker', phase: 'writers', stop: () => new Promise<void>(() => undefined), timeoutMs: 20 });
		seq.listen(emitter, 'sveltekit:shutdown', exit);
		emitter.emit('sveltekit:shutdown', 'SIGTERM');
		await seq.run();
		expect(exit).not.toHaveBeenCalled();
		await vi.waitFor(() => expect(exit).toHaveBeenCalledWith(1), { timeout: 4_000, interval: 100 });
	});
});
