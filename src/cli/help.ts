// `npm run cx -- help [COMMAND]` and `COMMAND --help`. The option texts live here rather than in each
// command file so that one table, checked by a test against every command's options, documents them all.
import type { Config } from '../lib/server/config';
import { IMPORT_MEMORY_LIMIT } from '../lib/server/ingest/import/memory-limit';
import { DEFAULT_CHUNK_ROWS } from '../lib/server/ingest/import/import-file';
import { DEFAULT_HYPER } from '../lib/server/churn/model';
import { BUILTIN_BOARDS } from '../lib/server/metrics/boards';
import { DATA_NOTES } from '../lib/server/churn/model-card';
import type { Command } from './command';

/** `[argument name, description]`; the argument name is empty for a boolean flag. */
type OptionText = [string, string];

interface CommandHelp {
	options: Record<string, OptionText>;
	/** For commands with subcommands: what each does. */
	subcommands?: Record<string, string>;
	/** What --db is for, when the command reads the database without requiring it (run.ts neither opens nor checks it). */
	db?: string;
	notes?: string[];
}

const DEFINITION =
	'auto (cancellation when the data has cancellation events, else inactivity), inactivity or cancellation';

function texts(cfg: Config): Record<string, CommandHelp> {
	return {
		migrate: { options: {} },
		import: {
			options: {
				format: [
					'FORMAT',
					'csv, ndjson or parquet (default: from the file name: .csv/.tsv/.txt, .ndjson/.jsonl/.json, .parquet; .gz/.zst allowed)'
				],
				map: [
					'to=from,…',
					"rename the file's columns to the canonical ones, e.g. customer_id=CustomerID (default: none)"
				],
				source: [
					'NAME',
					"where the events come from; part of derived event ids (default: import, or the preset's name)"
				],
				timezone: ['TZ', 'IANA zone of timestamps without an offset, e.g. Europe/London (default UTC)'],
				preset: ['NAME', 'a known file layout: online-retail (default: none)'],
				strict: ['', 'import nothing when any row is rejected (default: import the valid rows)'],
				'chunk-rows': ['N', `rows committed per transaction (default ${DEFAULT_CHUNK_ROWS.toLocaleString('en-US')})`],
				'memory-limit': [
					'SIZE',
					`DuckDB memory limit while importing, at least 128MB (default ${cfg.dbMemoryLimit ?? IMPORT_MEMORY_LIMIT}; CX_DB_MEMORY_LIMIT sets it too)`
				]
			},
			notes: [
				'Exit code 0 when every row was imported or already stored; 1 when a row was rejected or the file',
				'has no rows (nothing to import); 2 for a usage error, an unknown --timezone included, and a file',
				'name that does not tell the format (no .csv, .ndjson, .parquet…) without --format.'
			]
		},
		'import-customers': {
			options: { format: ['FORMAT', 'csv, ndjson or parquet (default: from the file name)'] },
			notes: [
				'Customers already stored (same customer_id) are updated; if any row is invalid, or a customer_id',
				'appears on two rows of the file, nothing is imported.'
			]
		},
		backtest: {
			options: {
				cutoff: [
					'DATE',
					'YYYY-MM-DD: score the customers active on or before this day, except those who had cancelled by then (required)'
				],
				'horizon-days': [
					'N',
					'label window after the cutoff, in days; the fit ends this long before the cutoff (required)'
				],
				'scores-out': ['FILE.csv', 'where to write customer_id,score (required; folders are created)'],
				'report-out': ['FILE.json', 'where to write the metrics report (required; folders are created)'],
				'churn-definition': ['DEF', `${DEFINITION} (default auto)`]
			},
			notes: [
				'Both output paths are checked before training starts; nothing is written when either is unusable.'
			]
		},
		train: {
			options: {
				cutoff: ['DATE', 'YYYY-MM-DD: the validation day (default: the last event day minus the horizon)'],
				'horizon-days': ['N', 'days after a snapshot in which a customer counts as churned (default 90)'],
				epochs: [
					'N',
					`most training epochs; training stops early when validation stops improving (default ${DEFAULT_HYPER.epochs})`
				],
				'churn-definition': ['DEF', `${DEFINITION} (default auto)`]
			},
			notes: [
				`Models are saved in ${cfg.modelsDir} (CX_MODELS_DIR) as challengers; \`promote VERSION\` makes one the champion.`
			]
		},
		models: {
			options: {},
			db: 'read for the recorded training runs, to add the newest one\'s error when it failed; without a database file, or while a server holds it, the list is shown without',
			notes: [
				`Reads the registry in ${cfg.modelsDir} (CX_MODELS_DIR); "–" marks a metric the version's metadata.json lacks.`
			]
		},
		promote: {
			options: {
				force: ['', 'promote even when the version does not beat both baselines on ROC-AUC (default: refuse)']
			}
		},
		rollback: { options: {} },
		score: {
			options: {
				all: [
					'',
					'score every customer, not only those with new events since their last score (default: only those)'
				]
			}
		},
		'model-card': {
			options: {
				report: ['FILE.json', 'a report written by `backtest --report-out` (required)'],
				out: ['FILE.md', 'where to write the model card (required; folders are created)'],
				data: [
					'NAME',
					`add the write-up of a known data set: ${Object.keys(DATA_NOTES).join(', ')} (default: none; the card then says nothing about the data)`
				],
				command: [
					'"…"',
					'the command shown as how the report was made (default: the backtest command rebuilt from the report)'
				]
			}
		},
		demo: {
			options: {
				customers: ['N', `customers in the demo world (default ${cfg.demoCustomers}; CX_DEMO_CUSTOMERS)`],
				days: ['D', `days of history (default ${cfg.demoDays}; CX_DEMO_DAYS)`],
				seed: [
					'S',
					`random seed; the same seed gives the same world (default ${cfg.demoSeed}; CX_DEMO_SEED)`
				],
				live: ['', 'after seeding, keep streaming live events until Ctrl-C (default: off)'],
				rate: ['R', `live events per second, with --live only (default ${cfg.demoRate}; CX_DEMO_RATE)`]
			},
			notes: ['A database that already holds the world of this seed is not seeded again.']
		},
		users: {
			subcommands: {
				'add NAME --role ROLE':
					'create a user; the password is read from stdin or a hidden prompt (empty: one is generated and printed once)',
				list: 'list users (no secrets)'
			},
			options: { role: ['ROLE', 'admin, analyst, retention or executive (required by add)'] }
		},
		keys: {
			subcommands: {
				'create --scope SCOPE [--name N]': 'create an API key; the secret is printed once, on the last line',
				list: 'list keys with scope, status and last use (no secrets)',
				'revoke ID': 'revoke a key; requests with it get 401 from then on'
			},
			options: {
				scope: ['SCOPE', 'ingest, admin, analyst, retention or executive (required by create)'],
				name: ['N', 'a label for the key, at most 100 characters, not the name of another active key (default: "<scope> key", numbered when taken)']
			}
		},
		'display-token': {
			subcommands: {
				'create --board NAME [--name N]':
					'create a wall display token; its wall path is printed once, on the last line',
				list: 'list display tokens (no secrets)',
				'revoke ID': 'revoke a token; its wall shows "revoked"'
			},
			options: {
				board: [
					'NAME',
					`the board the wall shows (required by create): ${BUILTIN_BOARDS.map((b) => b.name).join(', ')} or a custom board (cx boards)`
				],
				name: ['N', 'a label for the token, at most 100 characters, not the name of another active token (default: "<board> wall", numbered when taken)']
			},
			notes: [
				'Built-in boards (custom ones, made in Settings → Wall boards or with POST /api/v1/walls/boards: cx boards):',
				...BUILTIN_BOARDS.map((b) => `  ${b.name.padEnd(12)} ${b.title}`)
			]
		},
		boards: {
			options: {},
			notes: [
				'Built-in boards cannot be changed; make and edit others in Settings → Wall boards or with',
				'POST/PATCH/DELETE /api/v1/walls/boards (README, "Wall displays").'
			]
		},
		export: {
			options: {
				out: [
					'FILE.parquet',
					'where to write the Parquet file (required; must end in .parquet; folders are created)'
				],
				from: ['DATE', 'first instant included, ISO-8601 date or timestamp (default: the first event)'],
				to: ['DATE', 'first instant excluded, ISO-8601 date or timestamp (default: everything stored)'],
				force: ['', 'overwrite the --out file when it exists (default: refuse, leaving the file as it is)']
			}
		},
		'recompute-debt': {
			options: {
				segment: ['S', 'only the customers of segment S; repeat for several (default: every customer)']
			},
			notes: [
				'Rebuilds each customer\'s debt and contributions from their stored events with the current weights,',
				'half-life and SLA, as ingesting them afresh would; the server does this itself after tolerance',
				'settings are saved (one cut short by a stop is finished at the next start). What the server still',
				'owed these customers is settled too. Run it once after upgrading, for debt stored by an older version.'
			]
		}
	};
}

/** The help texts of a command, or undefined when it has none (a test keeps that from happening). */
export function commandHelp(cfg: Config, name: string): CommandHelp | undefined {
	return texts(cfg)[name];
}

function table(rows: [string, string][]): string[] {
	const width = Math.max(...rows.map(([l]) => l.length)) + 2;
	return rows.map(([l, r]) => `  ${l.padEnd(width)}${r}`);
}

export function renderCommandHelp(cfg: Config, cmd: Command): string[] {
	const h = commandHelp(cfg, cmd.name) ?? { options: {} };
	const lines = [`usage: npm run cx -- ${cmd.usage}`, cmd.summary];
	if (h.subcommands) lines.push('', 'subcommands:', ...table(Object.entries(h.subcommands)));
	const rows: [string, string][] = Object.entries(h.options).map(([name, [arg, text]]) => [
		`--${name}${arg ? ` ${arg}` : ''}`,
		text
	]);
	rows.push([
		'--db PATH',
		`the DuckDB database file (default ${cfg.dbPath}; CX_DB)${h.db ? `; ${h.db}` : cmd.db === 'none' ? '; not used by this command' : ''}`
	]);
	rows.push(['-h, --help', 'show this help']);
	lines.push('', 'options:', ...table(rows));
	lines.push('', 'Relative paths are taken from the folder you ran the command in.');
	if (h.notes?.length) lines.push(...h.notes);
	return lines;
}

const USAGE_COLUMN = 60;

export function renderGeneralHelp(commands: Command[]): string[] {
	const lines = [
		'usage: npm run cx -- <command> [options]   (every command accepts --db PATH, before or after it; default CX_DB when set, else data/cx.duckdb)',
		''
	];
	for (const c of commands) {
		// A long usage line would run into its summary; the summary then goes under it, in the same column.
		if (c.usage.length <= USAGE_COLUMN) lines.push(`  ${c.usage.padEnd(USAGE_COLUMN)} ${c.summary}`);
		else lines.push(`  ${c.usage}`, `  ${' '.repeat(USAGE_COLUMN)} ${c.summary}`);
	}
	lines.push(
		'',
		'npm run cx -- help COMMAND (or COMMAND --help) lists the options of one command with their defaults.'
	);
	return lines;
}
