// What `cx import` tells the user about an import: the progress figures, the rejected rows grouped by
// problem, and the last line with the exit code. Pure, so each wording is tested without a database.
import type { ImportErrorGroup, ImportSummary } from '../lib/server/ingest';

/** Rate and time left of a running import; '—' until a row is done, when there is no rate to go by. */
export function progressFigures(done: number, total: number, elapsedSeconds: number): { rate: string; eta: string } {
	if (done <= 0 || elapsedSeconds <= 0) return { rate: '—', eta: '—' };
	const rate = done / elapsedSeconds;
	return { rate: String(Math.round(rate)), eta: `${Math.round(Math.max(0, total - done) / rate)} s` };
}

/** One line per problem: a single row keeps its line first, as before; a repeated problem says how many rows and where. */
export function problemLine(g: ImportErrorGroup): string {
	if (g.rows === 1) return `line ${g.lines[0]}: ${g.field} ${g.message}`;
	const lines = g.rows > g.lines.length ? `${g.lines.join(', ')}, … ${g.lastLine}` : g.lines.join(', ');
	return `${g.field} ${g.message} — ${g.rows} rows, lines ${lines}`;
}

/** The problem lines of a summary, with what the list leaves out. */
export function problemLines(s: Pick<ImportSummary, 'rejected' | 'errorGroups' | 'problemKinds'>): string[] {
	const lines = s.errorGroups.map(problemLine);
	const listed = s.errorGroups.reduce((n, g) => n + g.rows, 0);
	const otherKinds = s.problemKinds - s.errorGroups.length;
	if (otherKinds > 0) lines.push(`… and ${s.rejected - listed} more row(s) with ${otherKinds} other problem(s)`);
	return lines;
}

/**
 * The import's outcome: exit code 0 when every row read was imported or was already stored; 1 when rows
 * were rejected or there was nothing to import (an empty file, a header without rows), so a script
 * notices data that did not arrive. `message` is the last line, on stderr.
 */
export function importVerdict(s: ImportSummary, file: string): { code: 0 | 1; message: string | null } {
	if (!s.committed) return { code: 1, message: `--strict: ${s.rejected} row(s) rejected, nothing imported` };
	if (s.read === 0) {
		const what = s.format === 'csv' ? 'no rows below its header line' : 'no records';
		return { code: 1, message: `${file} has ${what}; nothing was imported` };
	}
	if (s.records === 0) return { code: 1, message: `no events could be built from the ${s.read} rows (${s.dropped} without customer dropped); nothing was imported` };
	if (s.rejected === 0) return { code: 0, message: null };
	if (s.accepted > 0) return { code: 1, message: `${s.rejected} row(s) rejected (listed above); the other rows were imported` };
	if (s.duplicates > 0) {
		return { code: 1, message: `${s.rejected} row(s) rejected (listed above) and the other ${s.duplicates} were already stored; nothing was imported` };
	}
	return { code: 1, message: `every row was rejected (${s.rejected}, listed above); nothing was imported` };
}
