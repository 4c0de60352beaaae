// The Models page's "Do interventions work?" panel over a database built beforehand, served for real.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb, shutdownDb } from '../../src/lib/server/db';
import { anInterventionCustomer, storeInterventionCustomers } from '../fixtures/interventions';
import { startServer, type TestServer } from '../helpers/server';
import { get, signInOver } from './auth-http';

let server: TestServer;
let cookie: string;
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000);
const times = <T>(n: number, f: () => T): T[] => Array.from({ length: n }, f);

beforeAll(async () => {
	const dir = mkdtempSync(join(tmpdir(), 'cx-srv-'));
	const path = join(dir, 'cx.duckdb');
	// Default horizon 30 days: items 60 days ago are judged; last seen 1 day ago = retained, 50 days ago = lost.
	const worked = () => anInterventionCustomer().scored(daysAgo(61), 0.7).worked(daysAgo(60));
	const notWorked = () => anInterventionCustomer().scored(daysAgo(60), 0.7);
	try {
		await storeInterventionCustomers(await getDb(path), [
			...times(15, () => worked().lastSeen(daysAgo(1)).build()),
			...times(5, () => worked().lastSeen(daysAgo(50)).build()),
			...times(10, () => notWorked().lastSeen(daysAgo(1)).build()),
			...times(10, () => notWorked().lastSeen(daysAgo(50)).build()),
			...times(2, () => anInterventionCustomer().scored(daysAgo(61), 0.9).worked(daysAgo(60)).lastSeen(daysAgo(1)).build())
		]);
	} finally {
		await shutdownDb(path);
	}
	server = await startServer({ dir });
	cookie = (await signInOver(server, 'admin', server.adminPassword()!)).cookie!;
}, 60_000);
afterAll(async () => {
	await server?.stop();
});

describe('Do interventions work? panel', () => {
	it('shows worked vs not-worked retention and n per band, and refuses to compare small bands', async () => {
		const html = (await (await get(server, '/models', { cookie })).text()).replace(/<!--.*?-->/g, '').replace(/ class="svelte-[a-z0-9]+"/g, '');
		expect(html).toContain('Do interventions work?');
		expect(html).toMatch(/60 %–80 %<\/th>\s*<td>75 % \(15 of 20\)<\/td>\s*<td>50 % \(10 of 20\)<\/td>\s*<td>\s*\+25 points/);
		expect(html).toMatch(/80 %–100 %<\/th>\s*<td>100 % \(2 of 2\)<\/td>\s*<td>—<\/td>\s*<td>\s*<span class="muted[^"]*">too few to compare \(n = 2 \/ 0\)/);
	});
});
