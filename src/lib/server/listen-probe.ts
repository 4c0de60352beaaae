// The address the server will listen on, tried before anything else starts. adapter-node listens only
// after the init hook has run, so a HOST that is no address of this machine or a PORT already taken
// ended the first start in an unhandled 'error' stack trace, after the admin had been created and its
// one-time password printed into that noise (the next start has an admin and prints no password).
import { createServer } from 'node:net';

export type ProbeResult = { ok: true } | { ok: false; error: string };

function describe(e: NodeJS.ErrnoException, host: string, port: number): string {
	switch (e.code) {
		case 'EADDRINUSE':
			return `port ${port} on ${host} is already in use (another cx-command or program listens there); set PORT to a free port or stop the other one`;
		case 'EACCES':
			return `not allowed to listen on port ${port} (ports below 1024 need privileges); set PORT to 1024 or above`;
		case 'EADDRNOTAVAIL':
			return `HOST=${host} is not an address of this machine; set HOST to one of its addresses, 127.0.0.1 or 0.0.0.0 (all)`;
		case 'ENOTFOUND':
		case 'EAI_AGAIN':
			return `HOST=${host} is not an address or a name that resolves here; set HOST to an address of this machine, 127.0.0.1 or 0.0.0.0 (all)`;
		default:
			return `cannot listen on ${host}:${port}: ${e.message}`;
	}
}

/** Listens on host:port and closes again at once; says in words why it cannot. */
export function probeListen(host: string, port: number): Promise<ProbeResult> {
	return new Promise((resolve) => {
		const server = createServer();
		server.once('error', (e: NodeJS.ErrnoException) => resolve({ ok: false, error: describe(e, host, port) }));
		server.listen(port, host, () => server.close(() => resolve({ ok: true })));
	});
}
