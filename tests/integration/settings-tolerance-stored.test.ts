// Tolerance values stored before the ranges were checked (a weight of 1e19) are marked at their fields when
// the Settings page loads, through the built server, and stay stored until the admin saves values in range.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TOLERANCE } from '../../src/lib/server/alerts/tolerance-defaults';
import { getDb, shutdownDb } from '../../src/lib/server/db';
import { startServer, type TestServer } from '../helpers/server';
import { toleranceFormFields } from '../helpers/tolerance-form';
import { get, postForm, signInOver } from './auth-http';

let server: TestServer;
let dir: string;
let cookie: string;

beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'cx-tol-stored-'));
	const dbPath = join(dir, 'cx.duckdb');
	const db = await getDb(dbPath);
	try {
		// As an older version stored it: no range check, so a weight of 1e19 and a half-life of 0 days.
		await db.write((conn) =>
			conn.run(
				`INSERT INTO tolerance_settings (segment, weights, half_life_days, tolerance_limit, first_response_sla_hours, updated_at)
				 VALUES ('vip', $1::JSON, 0, 40, 24, now())`,
				[JSON.stringify({ ...DEFAULT_TOLERANCE.weights, complaint: 1e19 })]
			)
		);
	} finally {
		await shutdownDb(dbPath);
	}
	server = await startServer({ dir });
	cookie = (await signInOver(server, 'admin', server.adminPassword()!)).cookie!;
}, 60_000);
afterAll(async () => {
	await server?.stop({ keepDir: true });
	rmSync(dir, { recursive: true, force: true });
});

describe('tolerance values stored out of range', () => {
	it('are marked at their fields on load, with a summary, and nothing is changed by the page', async () => {
		const html = await (await get(server, '/settings', { cookie })).text();
		// vip is the second form, after '*'.
		expect(html).toMatch(/id="tol-1-weights-complaint"[^>]*aria-invalid="true"/);
		expect(html).toContain('stored value 1e19 must be from -1,000 to 1,000 points: save a value in range');
		expect(html).toMatch(/id="tol-1-halfLifeDays"[^>]*aria-invalid="true"/);
		expect(html).toContain('stored value 0 must be more than 0 and at most 3,650 days: save a value in range');
		expect(html).toContain('Stored out of range, from before the ranges were checked: Half-life, Complaint.');
		// '*' is in range: nothing marked there.
		expect(html).not.toMatch(/id="tol-0-[^"]*"[^>]*aria-invalid="true"/);
		const api = (await (await get(server, '/api/v1/alerts/tolerance', { cookie })).json()) as {
			segments: { segment: string; settings: { half_life_days: number; weights: Record<string, number> } }[];
		};
		const vip = api.segments.find((s) => s.segment === 'vip')!;
		expect(vip.settings.weights.complaint).toBe(1e19);
		expect(vip.settings.half_life_days).toBe(0);
	});

	it('are no longer marked once the segment is saved in range', async () => {
		const r = await postForm(server, '/settings?/saveTolerance', toleranceFormFields('vip'), cookie);
		expect(r.status).toBe(200);
		const html = await (await get(server, '/settings', { cookie })).text();
		expect(html).not.toContain('stored value');
		expect(html).not.toContain('aria-invalid="true"');
	});
});
