// `cx demo`: seeds a demo history (progress bar on a terminal, plain lines otherwise) and with
// --live keeps streaming until Ctrl-C.
import { SingleBar } from 'cli-progress';
import { config } from '../../lib/server/config';
import { getDb } from '../../lib/server/db';
import { countDemoEvents, demoFit, otherDataText, seedDemoHistory, startLiveDemo, type SeedProgress } from '../../lib/server/demo';
import type { DemoWorld } from '../../lib/server/demo/world';
import { UsageError, type Command } from '../command';
import { onCtrlC } from '../ctrl-c';

function wholeNumber(v: unknown, flag: string, fallback: number, min: number): number {
	if (v === undefined) return fallback;
	const n = Number(v);
	if (typeof v !== 'string' || v.trim() === '' || !Number.isInteger(n) || n < min) {
		throw new UsageError(`${flag} ${JSON.stringify(v)} must be a whole number ≥ ${min}`);
	}
	return n;
}

function progressReporter(out: (s: string) => void, days: number): { update: (p: SeedProgress) => void; done: () => void } {
	if (process.stdout.isTTY) {
		const bar = new SingleBar({
			format: 'seeding [{bar}] {percentage}% | day {value}/{total} | {events} events | {rate} events/s | ETA {eta_formatted}',
			hideCursor: true
		});
		bar.start(days, 0, { events: 0, rate: 0 });
		return {
			update: (p) => bar.update(p.day, { events: p.events, rate: Math.round(p.events / Math.max(0.001, p.elapsedMs / 1000)) }),
			done: () => bar.stop()
		};
	}
	let lastPct = -1;
	return {
		update: (p) => {
			const pct = Math.floor((100 * p.day) / p.days);
			if (pct < lastPct + 10 && p.day !== p.days) return;
			lastPct = pct;
			const rate = Math.round(p.events / Math.max(0.001, p.elapsedMs / 1000));
			const eta = p.day > 0 ? ((p.elapsedMs / p.day) * (p.days - p.day)) / 1000 : 0;
			out(`seeding: day ${p.day}/${p.days} (${pct} %), ${p.events} events, ${rate} events/s, ETA ${eta.toFixed(0)} s`);
		},
		done: () => undefined
	};
}

/**
 * Resolves at Ctrl-C or SIGTERM; a second, separate Ctrl-C leaves at once (130). The Ctrl-C listener stays
 * until the process ends: the second copy of the same press may come after the stream has stopped.
 */
function untilInterrupted(): Promise<string> {
	return new Promise<string>((resolve) => {
		const onTerm = () => {
			process.off('SIGTERM', onTerm);
			resolve('SIGTERM');
		};
		process.on('SIGTERM', onTerm);
		onCtrlC(
			() => resolve('SIGINT'),
			() => process.exit(130)
		);
	});
}

export const demoCommand: Command = {
	name: 'demo',
	usage: 'demo [--customers N] [--days D] [--seed S] [--live] [--rate R]',
	summary: 'generate a realistic demo history (customers, interactions, incidents, churn); --live keeps streaming',
	options: {
		customers: { type: 'string' },
		days: { type: 'string' },
		seed: { type: 'string' },
		live: { type: 'boolean', default: false },
		rate: { type: 'string' }
	},
	db: 'create',
	async run({ values, out, err }) {
		const cfg = config();
		const customers = wholeNumber(values.customers, '--customers', cfg.demoCustomers, 1);
		const days = wholeNumber(values.days, '--days', cfg.demoDays, 1);
		const seed = wholeNumber(values.seed, '--seed', cfg.demoSeed, 0);
		const rate = wholeNumber(values.rate, '--rate', cfg.demoRate, 1);
		if (values.rate !== undefined && !values.live) throw new UsageError('--rate only applies with --live');

		const db = await getDb(cfg.dbPath);
		const fit = await demoFit(db);
		if (fit.kind === 'other') {
			// No override flag: a real company's customer list is no place for invented customers, and a
			// demo is as good in a file of its own.
			err(`cx demo: ${otherDataText(fit)} and the demo would add invented customers to it; run the demo on another database (--db PATH) (${cfg.dbPath})`);
			return 1;
		}
		const existing = await countDemoEvents(db, seed);
		let seeded: DemoWorld | undefined;
		if (existing > 0) {
			// A second history ending at a later "now" would rewrite customers under the same ids.
			out(`${cfg.dbPath} already holds demo world ${seed} (${existing} events): not seeding it again (use another --seed or --db)`);
		} else {
			out(`demo: ${customers} customers, ${days} days, seed ${seed} → ${cfg.dbPath}`);
			const progress = progressReporter(out, days);
			const r = await seedDemoHistory(db, { customers, days, seed }, progress.update);
			progress.done();
			if (!r.ok) {
				err(`cx demo: ${r.error}`);
				return 1;
			}
			const s = r.value;
			seeded = s.world;
			out(`seeded ${s.customers} customers and ${s.events} events (${s.accepted} new, ${s.duplicates} already stored) in ${(s.ms / 1000).toFixed(1)} s`);
		}
		if (!values.live) return 0;

		let streamed = 0;
		const stop = await startLiveDemo(db, { rate, seed, world: seeded, onBatch: (b) => (streamed += b.accepted) });
		// Listening before saying so: a Ctrl-C right after the prompt, with no listener yet, ended the
		// process by Node's default (no exit code, stream not stopped); seen once in a loaded test run.
		const interrupted = untilInterrupted();
		out(`streaming about ${rate} events/s; press Ctrl-C to stop`);
		const status = setInterval(() => out(`live: ${streamed} events streamed`), 10_000);
		try {
			const sig = await interrupted;
			out(`${sig}: stopping the live stream…`);
		} finally {
			clearInterval(status);
			await stop();
		}
		out(`live: stopped after ${streamed} events`);
		return 0;
	}
};
