// Keyboard and non-visual checks that axe-core cannot make from a static snapshot: Tab really reaches every
// interactive element, each has an accessible name (axe's own computation) and a visible focus indicator,
// and every chart is an image with a name.
import type { Page } from 'playwright-core';
import { injectAxe } from './axe';

export interface KeyboardReport {
	total: number;
	unreached: string[];
	unnamed: string[];
	noFocusIndicator: string[];
}

const INTERACTIVE = 'a[href], button, input:not([type="hidden"]), select, textarea, summary, [tabindex]';

/**
 * Tabs through the page and reports interactive elements that Tab never reaches, that have no accessible
 * name (axe's own computation), or whose outline/box-shadow does not change when they get focus.
 * `within` limits the check to one container, e.g. an open modal dialog (the rest of the page is inert).
 */
export async function tabThrough(page: Page, within = 'body'): Promise<KeyboardReport> {
	await injectAxe(page);
	const total = await page.evaluate(
		({ selector, within }) => {
			(document.activeElement as HTMLElement | null)?.blur();
			const w = window as unknown as {
				axe: {
					setup: (n: Node) => void;
					teardown: () => void;
					commons: { text: { accessibleText: (e: Element) => string } };
				};
				__kb: {
					key: string;
					desc: string;
					name: string;
					style: string;
					reached: boolean;
					indicator: boolean;
				}[];
			};
			const style = (el: Element) => {
				const s = getComputedStyle(el);
				return `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor} | ${s.boxShadow}`;
			};
			const root = document.querySelector(within);
			if (!root) throw new Error(`no ${within} on the page`);
			const els = [...root.querySelectorAll<HTMLElement>(selector)].filter(
				(el) =>
					el.tabIndex >= 0 &&
					!(el as HTMLButtonElement).disabled &&
					!el.closest('[inert], fieldset:disabled') &&
					el.checkVisibility({ visibilityProperty: true })
			);
			w.axe.setup(document);
			try {
				w.__kb = els.map((el, i) => {
					// One radio of a group is in the tab order; the group counts as reached when any of it is.
					const key =
						el instanceof HTMLInputElement && el.type === 'radio' && el.name ? `radio:${el.name}` : `el:${i}`;
					el.dataset.kb = key;
					const text = (el.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 40);
					const desc = `<${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.getAttribute('href') ? ` href=${el.getAttribute('href')}` : ''}${el.getAttribute('name') ? ` name=${el.getAttribute('name')}` : ''}> "${text}"`;
					return {
						key,
						desc,
						name: w.axe.commons.text.accessibleText(el).trim(),
						style: style(el),
						reached: false,
						indicator: false
					};
				});
			} finally {
				w.axe.teardown();
			}
			return w.__kb.length;
		},
		{ selector: INTERACTIVE, within }
	);

	const keys = new Set(
		await page.evaluate(() => (window as unknown as { __kb: { key: string }[] }).__kb.map((k) => k.key))
	);
	const reached = new Set<string>();
	for (let i = 0; i < keys.size + total + 10 && reached.size < keys.size; i++) {
		await page.keyboard.press('Tab');
		const key = await page.evaluate(() => {
			const el = document.activeElement as HTMLElement | null;
			const w = window as unknown as {
				__kb: { key: string; style: string; reached: boolean; indicator: boolean }[];
			};
			const key = el?.dataset.kb;
			if (!el || !key) return null;
			const s = getComputedStyle(el);
			const now = `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor} | ${s.boxShadow}`;
			const visible = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
			for (const k of w.__kb.filter((k) => k.key === key)) {
				k.reached = true;
				if (now !== k.style && (visible || s.boxShadow !== 'none')) k.indicator = true;
			}
			return key;
		});
		if (key) reached.add(key);
	}
	const rows = await page.evaluate(
		() =>
			(
				window as unknown as {
					__kb: { key: string; desc: string; name: string; reached: boolean; indicator: boolean }[];
				}
			).__kb
	);
	const groups = new Map<string, typeof rows>();
	for (const r of rows) groups.set(r.key, [...(groups.get(r.key) ?? []), r]);
	const unreached: string[] = [];
	const noFocusIndicator: string[] = [];
	for (const g of groups.values()) {
		if (!g.some((r) => r.reached)) unreached.push(g[0].desc);
		else if (!g.some((r) => r.indicator)) noFocusIndicator.push(g[0].desc);
	}
	return {
		total,
		unreached,
		unnamed: rows.filter((r) => r.name === '').map((r) => r.desc),
		noFocusIndicator
	};
}

/**
 * SVGs that are neither hidden from assistive technology nor an image with a name (a chart without words).
 * `within` as for tabThrough: behind an open modal dialog the page is inert and has no names at all.
 */
export async function unnamedCharts(page: Page, within = 'body'): Promise<string[]> {
	await injectAxe(page);
	return page.evaluate((within) => {
		const w = window as unknown as {
			axe: {
				setup: (n: Node) => void;
				teardown: () => void;
				commons: { text: { accessibleText: (e: Element) => string } };
			};
		};
		w.axe.setup(document);
		try {
			return [...(document.querySelector(within)?.querySelectorAll('svg') ?? [])]
				.filter((svg) => !svg.closest('[aria-hidden="true"]') && !svg.parentElement?.closest('svg'))
				.filter(
					(svg) => svg.getAttribute('role') !== 'img' || w.axe.commons.text.accessibleText(svg).trim() === ''
				)
				.map(
					(svg) =>
						`<svg class="${svg.getAttribute('class') ?? ''}"> in <${svg.parentElement?.tagName.toLowerCase()}>`
				);
		} finally {
			w.axe.teardown();
		}
	}, within);
}
