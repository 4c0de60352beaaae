// `cx recompute-debt [--segment S]`: rebuilds stored experience debt from the events under the current
// tolerance settings (alerts/debt-recompute.ts), as the server does in the background after a save.
import cliProgress from 'cli-progress';
import { config } from '../../lib/server/config';
import { DatabaseInUseError, getDb } from '../../lib/server/db';
import { memoryCursor, recomputeDebt } from '../../lib/server/alerts/debt-recompute';
import { settlePendingRecomputesIn } from '../../lib/server/alerts/debt-recompute-pending';
import { knownSegments } from '../../lib/server/alerts/rule-scope';
import { ANY_SEGMENT } from '../../lib/server/alerts/tolerance-settings';
import { CliError, UsageError, type Command } from '../command';

const n = (x: number) => x.toLocaleString('en-US');

function progressReporter(err: (s: string) => void) {
	if (process.stderr.isTTY) {
		const bar = new cliProgress.SingleBar(
			{ format: 'recomputing debt [{bar}] {percentage}% | {value}/{total} customers | ETA {eta}s', hideCursor: true },
			cliProgress.Presets.shades_classic
		);
		let started = false;
		return {
			update(done: number, total: number) {
				if (!started) bar.start(total, done);
				else bar.update(done);
				bar.setTotal(total);
				started = true;
			},
			stop: () => started && bar.stop()
		};
	}
	return {
		update: (done: number, total: number) => err(`recompute-debt: ${n(done)}/${n(total)} customers`),
		stop: () => undefined
	};
}

export const recomputeDebtCommand: Command = {
	name: 'recompute-debt',
	usage: 'recompute-debt [--segment S]…',
	summary: "rebuild customers' experience debt from their events with the current tolerance settings",
	options: { segment: { type: 'string', multiple: true } },
	db: 'existing',
	async run({ values, out, err }) {
		const segments = ((values.segment as string[] | undefined) ?? []).map((s) => s.trim());
		if (segments.some((s) => s === '')) throw new UsageError('--segment needs a segment name, not an empty string');
		if (segments.includes(ANY_SEGMENT))
			throw new UsageError(`--segment ${ANY_SEGMENT} is not a segment: leave --segment out to recompute every customer`);
		const db = await getDb(config().dbPath).catch((e: unknown) => {
			// The generic advice ("use the HTTP API") names no endpoint that only recomputes: a save does.
			if (e instanceof DatabaseInUseError)
				throw new CliError(
					`the database ${e.path} is in use by another cx-command process${e.pid ? ` (pid ${e.pid})` : ''}; stop it, or save the tolerance settings again (Settings or PUT /api/v1/alerts/tolerance), which recomputes in the server`
				);
			throw e;
		});
		const known = await knownSegments(db);
		const unknown = segments.filter((s) => !known.includes(s));
		if (unknown.length) throw new CliError(`--segment: no segment ${unknown.map((s) => `"${s}"`).join(', ')} (known: ${known.join(', ')})`);
		const progress = progressReporter(err);
		const r = await recomputeDebt(db, {
			segments,
			// What the server still owed for these customers is done too, once the last chunk commits.
			cursor: memoryCursor((conn) => settlePendingRecomputesIn(conn, segments.length ? segments : null)),
			onProgress: (p) => progress.update(p.done, p.total)
		}).finally(() => progress.stop());
		const whose = segments.length ? ` in segment${segments.length > 1 ? 's' : ''} ${segments.join(', ')}` : '';
		out(
			`recomputed the experience debt of ${n(r.customers)} customer${r.customers === 1 ? '' : 's'}${whose} in ${r.seconds.toFixed(1)} s (${n(Math.round(r.customers / Math.max(r.seconds, 0.001)))} customers/s); ${n(r.withDebt)} ${r.withDebt === 1 ? 'has' : 'have'} debt`
		);
		return 0;
	}
};
