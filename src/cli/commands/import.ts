// `cx import FILE`: bulk-loads events through DuckDB's readers and the shared commit path.
import { basename } from 'node:path';
import { existsSync } from 'node:fs';
import cliProgress from 'cli-progress';
import { config } from '../../lib/server/config';
import { getDb } from '../../lib/server/db';
import { checkImport, importChecked, importMemoryLimit, IMPORT_FORMATS, parseMap, presetConflict, PRESETS, timeZoneProblem, type ImportFormat, type Preset } from '../../lib/server/ingest';
import { formatFromName, unknownFormatMessage } from '../../lib/server/ingest/import/reader';
import { notAFile } from '../../lib/server/ingest/import/file-checks';
import { CliError, UsageError, type Command } from '../command';
import { importVerdict, problemLines, progressFigures } from '../import-report';

/** `unit`: what the progress counts, file rows or, for a preset that builds events from several rows, events. */
function progressReporter(err: (s: string) => void, unit: 'rows' | 'events') {
	if (process.stderr.isTTY) {
		const bar = new cliProgress.SingleBar(
			{ format: `importing [{bar}] {percentage}% | {value}/{total} ${unit} | {rate} ${unit}/s | ETA {eta}`, hideCursor: true },
			cliProgress.Presets.shades_classic
		);
		const t0 = Date.now();
		let started = false;
		return {
			update(done: number, total: number) {
				const figures = progressFigures(done, total, (Date.now() - t0) / 1000);
				if (!started) bar.start(total, done, figures);
				else bar.update(done, figures);
				started = true;
			},
			stop: () => started && bar.stop()
		};
	}
	const t0 = Date.now();
	return {
		update(done: number, total: number) {
			const { rate, eta } = progressFigures(done, total, (Date.now() - t0) / 1000);
			err(`import: ${done}/${total} ${unit} (${Math.round((100 * done) / Math.max(1, total))}%), ${rate} ${unit}/s, ETA ${eta}`);
		},
		stop: () => undefined
	};
}

export const importCommand: Command = {
	name: 'import',
	usage: 'import FILE [--format csv|ndjson|parquet] [--map to=from,…] [--source NAME] [--timezone TZ] [--preset online-retail] [--strict] [--chunk-rows N] [--memory-limit SIZE]',
	summary: 'load events from a file (validated, deduplicated; valid rows are imported, rejected rows listed with their line)',
	positionals: ['FILE'],
	options: {
		format: { type: 'string' },
		map: { type: 'string' },
		source: { type: 'string' },
		timezone: { type: 'string' },
		preset: { type: 'string' },
		strict: { type: 'boolean' },
		'chunk-rows': { type: 'string' },
		'memory-limit': { type: 'string' }
	},
	async run({ values, positionals, out, err, storedNothing }) {
		const [file] = positionals;
		if (!file || positionals.length > 1) throw new UsageError('give exactly one FILE');
		if (!existsSync(file)) throw new CliError(`no such file: ${file}`);
		const format = values.format as string | undefined;
		if (format !== undefined && !(IMPORT_FORMATS as readonly string[]).includes(format)) {
			throw new UsageError(`--format must be one of ${IMPORT_FORMATS.join(', ')}`);
		}
		const preset = values.preset as string | undefined;
		if (preset !== undefined && !(PRESETS as readonly string[]).includes(preset)) {
			throw new UsageError(`--preset must be one of ${PRESETS.join(', ')}`);
		}
		const source = values.source as string | undefined;
		// The source names the events' origin and is part of a derived event id: blank would hide both.
		if (source !== undefined && source.trim() === '') throw new UsageError('--source must be a non-empty name (e.g. --source crm)');
		const map = parseMap(values.map as string | undefined);
		if (!map.ok) throw new UsageError(map.error);
		const conflict = presetConflict({ preset: preset as Preset | undefined, format: format as ImportFormat | undefined, map: map.value });
		if (conflict) throw new UsageError(conflict);
		const chunk = values['chunk-rows'] === undefined ? undefined : Number(values['chunk-rows']);
		if (chunk !== undefined && (!Number.isInteger(chunk) || chunk < 1)) throw new UsageError('--chunk-rows must be a whole number ≥ 1');
		const memoryLimit = importMemoryLimit((values['memory-limit'] as string | undefined) ?? config().dbMemoryLimit ?? undefined);
		if (!memoryLimit.ok) throw new UsageError(memoryLimit.error);
		const timezone = values.timezone as string | undefined;
		const zoneProblem = timezone === undefined ? null : await timeZoneProblem(timezone);
		if (zoneProblem) throw new UsageError(zoneProblem);
		const options = {
			format: format as ImportFormat | undefined,
			map: map.value,
			source,
			timezone,
			preset: preset as Preset | undefined,
			strict: values.strict === true,
			chunkRows: chunk,
			memoryLimit: memoryLimit.value,
			maxErrors: 20
		};
		// A folder first: it has no extension either, and "cannot tell the format" would mislead.
		const notFile = notAFile(file);
		if (notFile) throw new CliError(notFile);
		// A usage error (exit 2, as README's exit codes say of a missing flag): --format is what fixes it.
		if (!format && !preset && !formatFromName(file)) throw new UsageError(unknownFormatMessage(file));
		// The file and its columns against --format, --map and --preset, still without the database.
		const checked = await checkImport(file, options);
		if (!checked.ok) {
			err(`cx import: ${checked.error}`);
			return 1;
		}
		// Only now: everything is accepted, and a new --db path may become a database.
		const db = await getDb(config().dbPath);
		const progress = progressReporter(err, preset ? 'events' : 'rows');
		// Ctrl-C: every chunk committed so far is durable and a re-run skips it as duplicates, so leave at
		// once (the chunk in flight is simply not committed) and say where the import stood.
		let committed = { done: 0, total: 0, accepted: 0 };
		const onInterrupt = () => {
			progress.stop();
			err(
				`cx import: interrupted; ${committed.done.toLocaleString('en-US')} of ${committed.total.toLocaleString('en-US')} rows were committed before (${committed.accepted.toLocaleString('en-US')} accepted) and stay. ` +
					'Run the same command again to import the rest: the committed rows count as duplicates.'
			);
			process.exit(130);
		};
		process.once('SIGINT', onInterrupt);
		const t0 = Date.now();
		const r = await importChecked(db, file, checked.value, {
			...options,
			onProgress: (p) => {
				committed = p;
				progress.update(p.done, p.total);
			}
		}).finally(() => {
			process.off('SIGINT', onInterrupt);
			progress.stop();
		});
		if (!r.ok) {
			// A refusal before the first commit (an out-of-memory one can come after some) stored nothing.
			if (committed.accepted === 0) storedNothing();
			err(`cx import: ${r.error}`);
			return 1;
		}
		const s = r.value;
		const secs = (Date.now() - t0) / 1000;
		const verdict = importVerdict(s, file);
		// "imported" only when something was, or when all was already there (a re-run).
		const outcome = !s.committed ? 'refused' : s.accepted === 0 && verdict.code !== 0 ? 'nothing imported from' : 'imported';
		out(`${outcome} ${basename(file)} (${s.format}) in ${secs.toFixed(1)} s`);
		out(`  read:       ${s.read} rows`);
		if (s.records !== s.read || s.dropped) out(`  events:     ${s.records} built from them${s.dropped ? ` (${s.dropped} rows without customer dropped)` : ''}`);
		out(`  accepted:   ${s.accepted}`);
		out(`  duplicates: ${s.duplicates}`);
		out(`  rejected:   ${s.rejected}`);
		for (const line of problemLines(s)) out(`    ${line}`);
		const c = s.columns;
		if (c.keptInAttrs.length) {
			const which = c.keptInAttrs.length === 1 ? `the column ${c.keptInAttrs[0]} (not an event field)` : `the columns ${c.keptInAttrs.join(', ')} (not event fields)`;
			out(`  attrs:      kept ${which} in each event's attrs`);
		}
		for (const h of c.hints) out(`    ${h.column}: kept in attrs — did you mean ${h.field}? (--map ${h.field}=${h.column})`);
		if (c.sourceFromFile) out(`  source:     taken from the file's source column (rows without one: ${source ?? preset ?? 'import'})`);
		for (const col of c.ignored) out(`  ${col}: ignored (set at import)`);
		// A rejected row is data that did not arrive: scripts must notice, so the exit code says so.
		if (verdict.message) err(`cx import: ${verdict.message}`);
		if (verdict.code !== 0 && s.accepted === 0) storedNothing();
		return verdict.code;
	}
};
