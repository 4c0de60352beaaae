// A file written for one response: a unique path in the OS temp folder, streamed to the client and
// deleted once sent (or once the client goes away).
import { createReadStream, rmSync, statSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';

export function tempFilePath(stem: string, ext: string): string {
	return join(tmpdir(), `cx-${stem}-${randomUUID()}${ext}`);
}

export function streamTempFile(path: string, headers: Record<string, string>): Response {
	const size = statSync(path).size;
	const file = createReadStream(path);
	file.once('close', () => rmSync(path, { force: true }));
	return new Response(Readable.toWeb(file) as ReadableStream<Uint8Array>, { headers: { ...headers, 'content-length': String(size) } });
}
