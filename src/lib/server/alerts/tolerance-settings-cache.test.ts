import { describe, expect, it } from 'vitest';
import type { Db } from '../db';
import { DEFAULT_TOLERANCE, type ToleranceSettings } from './tolerance-defaults';
import { cachedToleranceSettings, forgetToleranceSettings } from './tolerance-settings-cache';

type Settings = Map<string, ToleranceSettings>;
const withLimit = (limit: number): Settings => new Map([['*', { ...DEFAULT_TOLERANCE, limit }]]);

/** A read that resolves when the test says, counting how often it was started. */
function controlledRead() {
	const pending: ((s: Settings) => void)[] = [];
	const read = () => new Promise<Settings>((resolve) => pending.push(resolve));
	return { read, pending };
}

// Only the cache's key: the reads here are the test's own.
const aDb = () => ({}) as Db;

describe('the tolerance settings cache', () => {
	it('shares one read between callers until forgotten, each caller getting its own Map', async () => {
		const db = aDb();
		const { read, pending } = controlledRead();
		const first = cachedToleranceSettings(db, read);
		const second = cachedToleranceSettings(db, read);
		pending[0](withLimit(40));
		const [a, b] = await Promise.all([first, second]);
		expect(pending).toHaveLength(1);
		expect(a.get('*')!.limit).toBe(40);
		a.delete('*');
		expect(b.get('*')!.limit).toBe(40);
		expect((await cachedToleranceSettings(db, read)).get('*')!.limit).toBe(40);
		forgetToleranceSettings(db);
		const third = cachedToleranceSettings(db, read);
		pending[1](withLimit(25));
		expect((await third).get('*')!.limit).toBe(25);
	});

	it('does not keep a read begun before a write that is forgotten while it runs', async () => {
		const db = aDb();
		const { read, pending } = controlledRead();
		const before = cachedToleranceSettings(db, read);
		forgetToleranceSettings(db);
		pending[0](withLimit(40));
		expect((await before).get('*')!.limit).toBe(40);
		const after = cachedToleranceSettings(db, read);
		expect(pending).toHaveLength(2);
		pending[1](withLimit(25));
		expect((await after).get('*')!.limit).toBe(25);
	});

	it('reads again after a failed read', async () => {
		const db = aDb();
		await expect(cachedToleranceSettings(db, () => Promise.reject(new Error('database closed')))).rejects.toThrow('database closed');
		expect((await cachedToleranceSettings(db, async () => withLimit(30))).get('*')!.limit).toBe(30);
	});

	it('keeps each database apart', async () => {
		const [one, two] = [aDb(), aDb()];
		await cachedToleranceSettings(one, async () => withLimit(40));
		expect((await cachedToleranceSettings(two, async () => withLimit(25))).get('*')!.limit).toBe(25);
		expect((await cachedToleranceSettings(one, async () => withLimit(99))).get('*')!.limit).toBe(40);
	});
});
