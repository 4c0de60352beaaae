import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { probeListen } from './listen-probe';

let busy: Server | null = null;
afterEach(() => new Promise<void>((r) => (busy ? busy.close(() => r()) : r())));

describe('probeListen', () => {
	it('accepts a free port and leaves it free', async () => {
		busy = createServer();
		await new Promise<void>((r) => busy!.listen(0, '127.0.0.1', r));
		const port = (busy.address() as { port: number }).port;
		await new Promise<void>((r) => busy!.close(() => r()));
		busy = null;
		expect(await probeListen('127.0.0.1', port)).toEqual({ ok: true });
		expect(await probeListen('127.0.0.1', port)).toEqual({ ok: true });
	});

	it('names a port in use', async () => {
		busy = createServer();
		await new Promise<void>((r) => busy!.listen(0, '127.0.0.1', r));
		const port = (busy.address() as { port: number }).port;
		const r = await probeListen('127.0.0.1', port);
		expect(r).toEqual({ ok: false, error: expect.stringContaining(`port ${port} on 127.0.0.1 is already in use`) });
	});

	it('names a HOST that is no address here', async () => {
		const r = await probeListen('not-a-host.invalid', 3999);
		expect(r.ok).toBe(false);
		if (!r.ok) expect(r.error).toMatch(/^HOST=not-a-host\.invalid is not an address/);
		const other = await probeListen('192.0.2.1', 3999);
		expect(other).toEqual({ ok: false, error: expect.stringMatching(/^HOST=192\.0\.2\.1 is not an address of this machine/) });
	});
});
