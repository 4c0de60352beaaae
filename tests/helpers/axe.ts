// Runs axe-core inside a Playwright page (the script is injected from node_modules, no network) and
// returns the WCAG 2.0/2.1 A and AA violations as readable text, so a failing assertion says what to fix.
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const AXE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
/** axe's own advice beyond WCAG (landmarks, heading order, one main, unique names…). */
export const BEST_PRACTICE_TAGS = [...WCAG_TAGS, 'best-practice'];

export interface AxeViolation {
	id: string;
	impact: string | null;
	help: string;
	helpUrl: string;
	nodes: { target: string[]; summary: string }[];
}

export interface AxeOptions {
	/** Rule tags to run; WCAG 2.0/2.1 A and AA by default. */
	tags?: string[];
	/** Rule ids to skip; every caller must say why in a comment. */
	disableRules?: string[];
}

/** Adds axe to the page once (later calls reuse it). */
export async function injectAxe(page: Page): Promise<void> {
	const present = await page.evaluate(
		() => typeof (window as unknown as { axe?: unknown }).axe !== 'undefined'
	);
	if (!present) await page.addScriptTag({ path: AXE_PATH });
}

/** Violations of the chosen rules (WCAG 2.0/2.1 A and AA by default) on the page as it is now, all impacts. */
export async function runAxe(page: Page, opts: AxeOptions = {}): Promise<AxeViolation[]> {
	await injectAxe(page);
	return page.evaluate(
		async ({ tags, disable }) => {
			type Result = {
				violations: {
					id: string;
					impact?: string | null;
					help: string;
					helpUrl: string;
					nodes: { target: unknown[]; failureSummary?: string }[];
				}[];
			};
			const axe = (window as unknown as { axe: { run: (ctx: unknown, o: unknown) => Promise<Result> } }).axe;
			const rules = Object.fromEntries(disable.map((id) => [id, { enabled: false }]));
			const r = await axe.run(document, {
				runOnly: { type: 'tag', values: tags },
				rules,
				resultTypes: ['violations']
			});
			return r.violations.map((v) => ({
				id: v.id,
				impact: v.impact ?? null,
				help: v.help,
				helpUrl: v.helpUrl,
				nodes: v.nodes.map((n) => ({
					target: n.target.map((t) => String(t)),
					summary: n.failureSummary ?? ''
				}))
			}));
		},
		{ tags: opts.tags ?? WCAG_TAGS, disable: opts.disableRules ?? [] }
	);
}

/** One block per rule: id, impact, help, then each offending element's selector and axe's explanation. */
export function formatViolations(violations: AxeViolation[]): string {
	return violations
		.map((v) => {
			const nodes = v.nodes
				.slice(0, 10)
				.map((n) => `    - ${n.target.join(' ')}\n      ${n.summary.replace(/\n/g, '\n      ')}`)
				.join('\n');
			const more = v.nodes.length > 10 ? `\n    … and ${v.nodes.length - 10} more` : '';
			return `[${v.impact ?? 'unknown'}] ${v.id}: ${v.help} (${v.helpUrl})\n${nodes}${more}`;
		})
		.join('\n\n');
}
