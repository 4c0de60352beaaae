// Checks on untrusted parsed JSON done without recursion, so hostile nesting cannot overflow the stack,
// and short quoting of bad values for error messages.
import { MAX_ECHO_CHARS } from './limits';

const LONE_SURROGATE = /\p{Cs}/u;

/**
 * True when `s` holds a UTF-16 surrogate without its pair (JSON's "\ud800" escape makes one). Such text
 * cannot be stored as UTF-8: DuckDB refuses it in JSON and silently mangles it in VARCHAR.
 */
export function hasLoneSurrogate(s: string): boolean {
	return LONE_SURROGATE.test(s);
}

export type JsonProblem = 'too-deep' | 'lone-surrogate' | null;

/** The first problem found in a parsed JSON value: nesting deeper than `maxDepth` levels, or a lone surrogate in a key or string. */
export function findJsonProblem(root: unknown, maxDepth: number): JsonProblem {
	const stack: [unknown, number][] = [[root, 0]];
	while (stack.length) {
		const [v, depth] = stack.pop()!;
		if (typeof v === 'string') {
			if (hasLoneSurrogate(v)) return 'lone-surrogate';
			continue;
		}
		if (v === null || typeof v !== 'object') continue;
		if (depth >= maxDepth) return 'too-deep';
		if (Array.isArray(v)) {
			for (const x of v) stack.push([x, depth + 1]);
			continue;
		}
		for (const [k, x] of Object.entries(v)) {
			if (hasLoneSurrogate(k)) return 'lone-surrogate';
			stack.push([x, depth + 1]);
		}
	}
	return null;
}

/** A value as JSON for an error message, cut to MAX_ECHO_CHARS characters. */
export function quoteValue(v: unknown): string {
	let text: string;
	if (typeof v === 'string') text = JSON.stringify(v.length > MAX_ECHO_CHARS ? v.slice(0, MAX_ECHO_CHARS) : v);
	else if (v === null || typeof v !== 'object') text = String(v);
	else if (v instanceof Date) text = Number.isNaN(v.getTime()) ? 'an invalid date' : v.toISOString();
	else if (Array.isArray(v)) text = `an array of ${v.length}`;
	else text = 'an object';
	if (typeof v === 'string' && v.length > MAX_ECHO_CHARS) return `${text.slice(0, -1)}…" (${v.length} characters)`;
	return text;
}
