// A cut or corrupt .gz file: DuckDB's reader stops quietly at the break and imports the rows before it,
// so the whole stream is decompressed once first (as fast as DuckDB will read it again) to refuse it.
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { Writable } from 'node:stream';
import { createGunzip } from 'node:zlib';

/** null when `file` is not gzip-named or decompresses to its end; else why it does not. */
export async function checkGzip(file: string): Promise<string | null> {
	if (!file.toLowerCase().endsWith('.gz')) return null;
	try {
		await pipeline(createReadStream(file), createGunzip(), new Writable({ write: (_chunk, _enc, done) => done() }));
		return null;
	} catch (e) {
		return `is not a complete gzip file (${e instanceof Error ? e.message : String(e)})`;
	}
}
