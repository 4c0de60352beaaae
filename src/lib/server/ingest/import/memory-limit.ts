// The memory an import may use: DuckDB's memory_limit while a file imports. Beyond it DuckDB spills the
// staged file and chunk tables to its temp folder instead of holding them: without a limit a 15 M-event
// CSV peaked at 4.6 GB RSS, with 1GB at 1.4 GB and no slower (bench/README.md, "Import memory").
import { memorySizeBytes, parseMemorySize } from '../../config';

export const IMPORT_MEMORY_LIMIT = '1GB';

/** DuckDB's CSV and JSON readers alone take 30–32 MiB buffers; below this an import cannot start. */
const MIN_BYTES = 128e6;

export type LimitResult = { ok: true; value: string } | { ok: false; error: string };

/** The import's memory limit in DuckDB's form, or why the given one cannot be used. */
export function importMemoryLimit(raw: string | undefined): LimitResult {
	const size = parseMemorySize(raw ?? IMPORT_MEMORY_LIMIT);
	if (!size) return { ok: false, error: `memory limit ${JSON.stringify(raw)} must be a size such as 512MB or 2GB` };
	if (memorySizeBytes(size) < MIN_BYTES) return { ok: false, error: `memory limit ${size} is too small for an import: DuckDB's file readers alone need about 32 MB; give at least 128MB` };
	return { ok: true, value: size };
}

/** DuckDB ran into its memory limit (it says so in several ways depending on where it happened). */
export function isOutOfMemory(e: unknown): boolean {
	const text = e instanceof Error ? e.message : String(e);
	return /Out of Memory Error|could not allocate block|failed to allocate|failed to pin block/i.test(text);
}

export function outOfMemoryMessage(limit: string): string {
	const more = Math.max(2, Math.ceil((memorySizeBytes(limit) * 4) / 1e9));
	return (
		`DuckDB needed more memory than the import's limit of ${limit}; run the import again with a larger ` +
		`--memory-limit (e.g. ${more}GB). Chunks committed before this point stay; importing the file again skips them as duplicates`
	);
}
