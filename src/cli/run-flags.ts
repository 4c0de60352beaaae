// `cx train` and `cx backtest` check their flags with the model API's own request validation
// (models-overview-requests.ts): a value one refuses the other refuses too, in the same words, before the
// database is opened; the CLI only names the flag instead of the JSON field.
import type { Parsed } from '../lib/server/churn/models-overview-requests';
import { UsageError } from './command';

/** A number flag as the API would get it: the number when the text is one, else the text (refused as not a whole number). */
export function flagNumber(v: unknown): unknown {
	if (typeof v !== 'string') return v;
	const n = Number(v);
	return v.trim() !== '' && Number.isFinite(n) ? n : v;
}

/**
 * The request's value, or a usage error (exit 2) naming each wrong flag with what was typed:
 * `--epochs 501: must be a whole number from 1 to 500`. `flags`: request field → [flag, the text typed].
 */
export function checkedFlags<T>(parsed: Parsed<T>, flags: Record<string, readonly [flag: string, typed: unknown]>): T {
	if (parsed.ok) return parsed.value;
	const shown = (v: unknown) => (typeof v === 'string' && /^[\w.:+-]+$/.test(v) ? v : JSON.stringify(v));
	throw new UsageError(
		parsed.errors
			.map((e) => {
				const f = flags[e.field];
				return f ? `${f[0]} ${shown(f[1])}: ${e.message}` : `${e.field}: ${e.message}`;
			})
			.join('; ')
	);
}
