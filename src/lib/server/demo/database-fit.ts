// Whether the demo may run on a database: it invents customers, so it runs only on an empty database
// or one that already holds its own world, never among a real company's customers (QA 2026-12-07:
// 500 starter customers were added to an Online Retail import's 4,372).
import type { Db } from '../db';

export type DemoFit =
	/** No events and no customers but the demo's own: seed, then stream. */
	| { kind: 'empty' }
	/** Holds demo events (with or without other data): continue the stored world, never seed again. */
	| { kind: 'demo' }
	/** Holds events or customers, none from the demo: no demo. */
	| { kind: 'other'; customers: number; events: number };

/**
 * EXISTS probes only, so this stays cheap on a database of millions of events; the two counts are
 * taken only for the refusal's message.
 */
export async function demoFit(db: Db): Promise<DemoFit> {
	const probe = await db.one<{ demo: boolean; other: boolean }>(
		`SELECT EXISTS (SELECT 1 FROM events WHERE source = 'demo') AS demo,
			EXISTS (SELECT 1 FROM events) OR EXISTS (SELECT 1 FROM customers WHERE NOT starts_with(customer_id, 'demo-c')) AS other`
	);
	if (probe?.demo) return { kind: 'demo' };
	if (!probe?.other) return { kind: 'empty' };
	const n = await db.one<{ customers: number; events: number }>('SELECT (SELECT count(*) FROM customers) AS customers, (SELECT count(*) FROM events) AS events');
	return { kind: 'other', customers: n?.customers ?? 0, events: n?.events ?? 0 };
}

/** "this database holds imported data (4,372 customers, 22,190 events, none from the demo)" */
export function otherDataText(fit: { customers: number; events: number }): string {
	const count = (n: number, what: string) => `${n.toLocaleString('en-US')} ${what}${n === 1 ? '' : 's'}`;
	return `this database holds imported data (${count(fit.customers, 'customer')}, ${count(fit.events, 'event')}, none from the demo)`;
}
