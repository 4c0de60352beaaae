// `cx boards`: the wall boards there are (built-in and made in Settings or through the API), read-only.
import { getDb } from '../../lib/server/db';
import { listBoards } from '../../lib/server/metrics/board-store';
import type { Command } from '../command';

export const boardsCommand: Command = {
	name: 'boards',
	usage: 'boards',
	summary: 'list the wall boards (built-in and custom) with their window, tiles and rotation',
	options: {},
	db: 'existing',
	async run({ out }) {
		const boards = await listBoards(await getDb());
		out(`${'NAME'.padEnd(16)} ${'KIND'.padEnd(8)} ${'WINDOW'.padEnd(7)} ${'ROTATION'.padEnd(30)} TITLE; TILES`);
		for (const b of boards) {
			const rotation = b.playlist.length > 1 || (b.playlist.length === 1 && b.playlist[0] !== b.name) ? `${b.rotateSeconds} s, ${b.playlist.join(' → ')}` : 'none';
			out(`${b.name.padEnd(16)} ${(b.builtin ? 'built-in' : 'custom').padEnd(8)} ${b.window.padEnd(7)} ${rotation.padEnd(30)} ${b.title}; ${b.tiles.join(', ')}`);
		}
		return 0;
	}
};
