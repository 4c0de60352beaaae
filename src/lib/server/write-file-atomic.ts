// Report files that outside tools re-create under the same name (`cx backtest --scores-out/--report-out`,
// `cx model-card --out`): each is written whole to a temp file beside it and renamed over the old one, so
// a run that fails part way (a full disk, a file-size limit) or is killed leaves the previous file as it
// was, never a truncated one; readers see the old file or the new one.
import { closeSync, existsSync, fsyncSync, openSync, realpathSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';

/** Writes every file's content to its temp file first and renames them only when all were written. */
export function writeFilesAtomic(files: readonly { path: string; data: string }[]): void {
	const written: { tmp: string; target: string }[] = [];
	let current: string | null = null;
	try {
		for (const f of files) {
			// A symlink stays a symlink: its target is replaced, as writeFileSync would have written through it.
			const target = existsSync(f.path) ? realpathSync(f.path) : f.path;
			// Same folder, so the rename is atomic (one file system); hidden, so a listing does not show it.
			const tmp = join(dirname(target), `.${basename(target)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
			written.push({ tmp, target });
			current = target;
			const fd = openSync(tmp, 'wx');
			try {
				writeFileSync(fd, f.data);
				// On disk before the rename: after a power cut the name shows the old content or the whole new one.
				fsyncSync(fd);
			} finally {
				closeSync(fd);
			}
		}
		current = null;
		for (const w of written) renameSync(w.tmp, w.target);
	} catch (e) {
		for (const w of written) {
			try {
				unlinkSync(w.tmp);
			} catch {
				// Already renamed, or never created.
			}
		}
		// The CLI names the path of a failed write (run.ts readableFailure): the user's, not the temp file's
		// (a failed write, e.g. a full disk, names no path at all).
		const errno = e as NodeJS.ErrnoException;
		const failed = written.find((w) => w.tmp === errno.path)?.target ?? (errno.path === undefined ? current : null);
		if (failed && e instanceof Error) errno.path = failed;
		throw e;
	}
}

export function writeFileAtomic(path: string, data: string): void {
	writeFilesAtomic([{ path, data }]);
}
