import { describe, expect, it } from 'vitest';
import { CONFIG_VARS, parseConfig } from './config';

describe('parseConfig', () => {
	it('gives documented defaults for an empty environment', () => {
		const r = parseConfig({}, '/app');
		expect(r.ok).toBe(true);
		if (!r.ok) return;
		expect(r.value.dbPath).toBe('/app/data/cx.duckdb');
		expect(r.value.port).toBe(3000);
		expect(r.value.demo).toBe(true);
		expect(r.value.maxBodyBytes).toBe(16 * 1024 * 1024);
		expect(r.value.tickMs).toBe(1000);
	});

	it('resolves relative paths against the root and keeps absolute ones', () => {
		const r = parseConfig({ CX_DB: 'x/y.duckdb', CX_MODELS_DIR: '/m' }, '/app');
		expect(r.ok && r.value.dbPath).toBe('/app/x/y.duckdb');
		expect(r.ok && r.value.modelsDir).toBe('/m');
	});

	it("takes the CLI's folder from INIT_CWD (set by npm run), else the root", () => {
		const npm = parseConfig({ INIT_CWD: '/home/me/data' }, '/app');
		expect(npm.ok && npm.value.callerCwd).toBe('/home/me/data');
		const plain = parseConfig({}, '/app');
		expect(plain.ok && plain.value.callerCwd).toBe('/app');
	});

	it('names every invalid variable and its value', () => {
		const r = parseConfig({ PORT: 'eighty', CX_DEMO: 'maybe', CX_LOG_LEVEL: 'loud', CX_TICK_MS: '1.5' });
		expect(r.ok).toBe(false);
		if (r.ok) return;
		expect(r.errors).toEqual([
			'CX_LOG_LEVEL="loud" must be one of debug, info, warn, error',
			'PORT="eighty" is not a whole number from 1 to 65535',
			'CX_DEMO="maybe" must be on or off',
			'CX_TICK_MS="1.5" is not a whole number from 50 to 3600000'
		]);
	});

	it('takes a DuckDB memory limit with a unit, and names a bad one', () => {
		const d = parseConfig({});
		expect(d.ok && d.value.dbMemoryLimit).toBe(null);
		const r = parseConfig({ CX_DB_MEMORY_LIMIT: ' 1.5GB ' });
		expect(r.ok && r.value.dbMemoryLimit).toBe('1.5GB');
		const bad = parseConfig({ CX_DB_MEMORY_LIMIT: '512' });
		expect(bad.ok ? [] : bad.errors).toEqual(['CX_DB_MEMORY_LIMIT="512" must be a size such as 512MB or 2GB']);
	});

	it('accepts on/off spellings for CX_DEMO', () => {
		const off = parseConfig({ CX_DEMO: 'off' });
		expect(off.ok && off.value.demo).toBe(false);
		const on = parseConfig({ CX_DEMO: 'TRUE' });
		expect(on.ok && on.value.demo).toBe(true);
	});

	it('reads an empty variable as unset, CX_LOG_LEVEL included (a .env or systemd line left empty)', () => {
		const r = parseConfig({ CX_LOG_LEVEL: '', PORT: '', CX_DEMO: '', HOST: '' });
		expect(r.ok).toBe(true);
		if (r.ok) expect([r.value.logLevel, r.value.port, r.value.demo, r.value.host]).toEqual(['info', 3000, true, '0.0.0.0']);
	});

	it('documents every variable it reads', () => {
		const names = CONFIG_VARS.map((v) => v.name);
		for (const n of ['CX_DB', 'HOST', 'PORT', 'CX_LOG_LEVEL', 'CX_DEMO', 'CX_MAX_BODY_BYTES', 'CX_TICK_MS']) {
			expect(names).toContain(n);
		}
	});
});
