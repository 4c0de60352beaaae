// The /models page as the server renders it: what each version predicts, a replaced champion labelled
// as such, churned validation customers, Brier/ECE to 4 decimals, why rollback is unavailable, and a
// training run that failed at once shown with its message when the page is loaded, also after a restart.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promoteModel, rollbackModel } from '../../src/lib/server/churn/registry';
import { getDb, shutdownDb } from '../../src/lib/server/db';
import { ingestEvents } from '../../src/lib/server/ingest';
import { anEvent } from '../fixtures/events';
import { aModelVersion, writeRegistry } from '../fixtures/model-registry';
import { startServer, type TestServer } from '../helpers/server';
import { signInOver } from './auth-http';

let server: TestServer;
let dir: string;
let cookie: string;

beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'cx-models-page-'));
	const models = join(dir, 'models');
	writeRegistry(models, [
		aModelVersion('v0001').withTarget('inactivity', 30).withAuc(0.85).withFittedBands(0.0862, 0.1614, { medium: 0.3002, high: 0.1001 }).build(),
		aModelVersion('v0002').withTarget('inactivity', 30).withAuc(0.86).build(),
		aModelVersion('v0003')
			.withTarget('cancellation', 30)
			.withAuc(0.84)
			.withChampionComparison('v0001', 0.85)
			.withDataSize(9000, 1200, 17)
			.build()
	]);
	// v0002 was champion for a while and was rolled back: v0001 is the only champion left to return to.
	for (const v of ['v0001', 'v0002']) expect(promoteModel(models, v, { by: 'test' }).ok).toBe(true);
	expect(rollbackModel(models, { by: 'test' }).ok).toBe(true);
	// A hundred days in which five customers buy every day: the run passes the cutoff checks, and the fit
	// stops at once once it has read its snapshots, since nobody churned.
	const dbPath = join(dir, 'cx.duckdb');
	const events = [];
	for (let c = 0; c < 5; c++)
		for (let d = 0; d < 100; d++)
			events.push(anEvent().withCustomer(`c${c}`).withType('purchase').withValue(5).at(new Date(Date.UTC(2026, 7, 1 + d, 10))).build());
	expect((await ingestEvents(await getDb(dbPath), events, { source: 'test', now: new Date('2026-12-01T00:00:00Z') })).ok).toBe(true);
	await shutdownDb(dbPath);
	server = await startServer({ dir, env: { CX_MODELS_DIR: models } });
	cookie = (await signInOver(server, 'admin', server.adminPassword()!)).cookie!;
}, 120_000);

afterAll(async () => {
	await server?.stop();
	rmSync(dir, { recursive: true, force: true });
});

/** The page's text as a reader sees it (Svelte's comment markers out, white space collapsed). */
async function modelsPage(): Promise<string> {
	const r = await fetch(`${server.url}/models`, { headers: { cookie } });
	expect(r.status).toBe(200);
	return (await r.text()).replace(/<!--[^]*?-->/g, '').replace(/\s+/g, ' ');
}

/** The text of the versions-table row of `version`. */
function row(html: string, version: string): string {
	const rows = html
		.split('<tr')
		.filter((r) => r.includes(`>${version}</button>`) || r.includes(`> ${version} </button>`));
	expect(rows).toHaveLength(1);
	return rows[0].replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
}

describe('/models', () => {
	it('shows what each version predicts, and flags one that predicts something else than the champion', async () => {
		const html = await modelsPage();
		expect(row(html, 'v0001')).toContain('★ Champion inactivity churn within 30 days');
		expect(row(html, 'v0003')).toContain(
			'Challenger cancellation churn within 30 days ⚠ not what the champion predicts (inactivity churn within 30 days): figures not comparable'
		);
		expect(row(html, 'v0002')).not.toContain('not what the champion predicts');
		// "Train challenger" says what it will train: the champion's target.
		expect(html).toContain('This run: inactivity churn within 30 days, as v0001.');
	});

	it("states the champion's risk bands: the probabilities where high and medium start and the share of validation customers each holds", async () => {
		const html = await modelsPage();
		expect(html).toContain(
			'Risk bands (the at-risk tiles count “high”; churn rules start at high, at medium or at a fixed probability): high from 16.1 %, medium from 8.6 % churn probability: the riskiest 10 % and the next 20 % of the validation customers.'
		);
	});

	it('labels the replaced champion "previous champion", not challenger', async () => {
		const html = await modelsPage();
		expect(row(html, 'v0002')).toContain('Previous champion');
		expect(row(html, 'v0002')).not.toContain('Challenger');
	});

	it('shows churned validation customers next to their number, and Brier and ECE with 4 decimals', async () => {
		const html = await modelsPage();
		expect(row(html, 'v0003')).toContain('1,200 validation customers, 17 churned (1.4 %)');
		expect(row(html, 'v0001')).toContain('churned customers not recorded');
		// The fixture's Brier 0.2 and ECE 0.03 (baselines alike), ROC-AUC keeps 3.
		expect(row(html, 'v0001')).toMatch(
			/0\.850 recency 0\.700 RFM 0\.720 .*0\.2000 recency 0\.2000 RFM 0\.2000 .*0\.0300 recency 0\.0300 RFM 0\.0300/
		);
	});

	it('says why there is nothing to roll back to', async () => {
		const html = await modelsPage();
		expect(html).toMatch(
			/<button[^>]*disabled[^>]*title="Nothing to roll back to: v0001 is the first champion\."/
		);
		expect(html).toContain('<span id="rollback-why" class="muted small');
		expect(html).toContain('>Nothing to roll back to: v0001 is the first champion.</span>');
	});

	it('gives the promote dialog the warnings `cx promote` prints', async () => {
		const html = await modelsPage();
		expect(html).toContain(
			'v0003 ranks its validation customers worse than v0001 did (ROC-AUC 0.8400 vs 0.8500 on the same customers)'
		);
		expect(html).toContain(
			'v0003 predicts cancellation churn within 30 days, the champion v0001 inactivity churn within 30 days (another churn definition)'
		);
	});

	it('shows a run that failed at once (nobody churned) with its message when the page is loaded', async () => {
		expect(await modelsPage()).not.toContain('The last run failed');
		const started = await fetch(`${server.url}/api/v1/models/train`, {
			method: 'POST',
			headers: { cookie, origin: server.url, 'content-type': 'application/json', accept: 'application/json' },
			body: '{}'
		});
		expect(started.status).toBe(202);
		const { job } = (await started.json()) as {
			job: { runId: string; definition: string; horizonDays: number };
		};
		// The champion's target, although the request named none.
		expect([job.definition, job.horizonDays]).toEqual(['inactivity', 30]);
		await expect
			.poll(
				async () =>
					(
						(await (await fetch(`${server.url}/api/v1/models`, { headers: { cookie } })).json()) as {
							training: { status: string };
						}
					).training.status
			)
			.toBe('failed');
		const html = await modelsPage();
		expect(html).toMatch(
			/⚠ The last run failed \(\d{4}-\d\d-\d\d \d\d:\d\d UTC, started by admin\): the training data has no churned customers/
		);
		// The button is not stuck on "Training…".
		expect(html).toMatch(/<button type="button"[^>]*>\s*Train challenger\s*<\/button>/);
	});

	it('still shows that failure after a restart, from the recorded runs, and lists the run under recent training runs', async () => {
		const { port } = server;
		await server.stop({ keepDir: true });
		server = await startServer({ dir, port, env: { CX_MODELS_DIR: join(dir, 'models') } });
		const html = await modelsPage();
		expect(html).toMatch(
			/⚠ The last run failed \(\d{4}-\d\d-\d\d \d\d:\d\d UTC, started by admin\): the training data has no churned customers/
		);
		// One run: not "The last 1 training runs".
		expect(html).toContain('>The last training run</caption>');
		const runs = html.slice(html.indexOf('Recent training runs')).replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
		expect(runs).toMatch(
			/\d{4}-\d\d-\d\d \d\d:\d\d UTC admin inactivity churn within 30 days validation cutoff \d{4}-\d\d-\d\d \(features up to that day\) ⚠ Failed \d+\.\d s the training data has no churned customers/
		);
	});
});
