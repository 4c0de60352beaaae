// `npm start`: build when needed, then serve with adapter-node in this same process. package.json runs it
// with `exec`, so no shell sits between npm and the server: npm passes SIGTERM/SIGINT on to its child, and a
// shell would die of them without passing them on, leaving the server running with the database held.
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { buildIfNeeded } from './build-if-needed.js';

buildIfNeeded();
// adapter-node would cut request bodies at 512 kB before our handler runs; the events API
// enforces its own limit (CX_MAX_BODY_BYTES) with a JSON 413, so the adapter's is lifted.
process.env.BODY_SIZE_LIMIT ??= 'Infinity';
await import(pathToFileURL(join(new URL('..', import.meta.url).pathname, 'build', 'index.js')).href);
