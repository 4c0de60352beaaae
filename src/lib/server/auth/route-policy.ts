// The central route policy: who may reach which path at all. Handlers still call guards.ts themselves
// (defence in depth); this table is what makes "anonymous is refused everywhere" true by default.
import type { Principal, Role } from '../../shared/auth-types';

export interface PageRule {
	/** Path prefix ('/' matches only the root). */
	prefix: string;
	/** Roles besides admin that may open it. */
	roles: readonly Role[];
	/** Navigation label, when the page belongs in the app's header. */
	nav?: string;
}

const ALL: readonly Role[] = ['analyst', 'retention', 'executive'];

/** Pages of the signed-in app, most specific first. Admin may open everything. */
export const PAGE_RULES: readonly PageRule[] = [
	{ prefix: '/', roles: ALL, nav: 'Overview' },
	{ prefix: '/metrics', roles: ALL },
	// Analysts edit the alert rules, which live on this page; they read the work list, but only retention
	// changes items (guards in the handlers). Executives get neither this page nor the work-item API.
	{ prefix: '/alerts', roles: ['retention', 'analyst'], nav: 'Alerts' },
	{ prefix: '/customers', roles: ['analyst', 'retention'], nav: 'Customers' },
	{ prefix: '/models', roles: ['analyst'], nav: 'Models' },
	// Every signed-in user may open any wall (/wall/<board>, metrics/wall.ts); this page lists them, so an
	// executive (whose navigation was only "Overview") finds them.
	{ prefix: '/walls', roles: ALL, nav: 'Walls' },
	{ prefix: '/settings', roles: [], nav: 'Settings' },
	{ prefix: '/account', roles: ALL }
];

const PUBLIC_PATHS = new Set(['/login', '/logout', '/api/v1/health']);
/** Display tokens may call these (GET only) besides opening walls. */
const DISPLAY_API = new Set(['/api/v1/metrics', '/api/v1/stream']);

const under = (path: string, prefix: string) => path === prefix || path.startsWith(prefix + '/');

/**
 * The path as SvelteKit matches routes (percent-decoded except %25). Policy decisions must use it, or
 * `/%61lerts` (which renders /alerts) would be judged as an unlisted page.
 */
export function routedPath(pathname: string): string {
	try {
		return pathname.split('%25').map(decodeURI).join('%25');
	} catch {
		return pathname;
	}
}

export function isApiPath(path: string): boolean {
	return under(path, '/api');
}

export function isWallPath(path: string): boolean {
	return under(path, '/wall');
}

/** Built client files and files from static/ (adapter-node usually serves these before hooks run). */
export function isStaticAsset(path: string): boolean {
	return path.startsWith('/_app/') || /^\/[^/]+\.(ico|png|svg|txt|webmanifest|css|js|woff2?)$/.test(path);
}

/** Where display tokens are read from a request: Bearer on the display APIs, ?token= on walls and the stream. */
export function acceptsDisplayBearer(method: string, path: string): boolean {
	return isRead(method) && DISPLAY_API.has(path);
}

export function acceptsTokenParam(method: string, path: string): boolean {
	return isRead(method) && (isWallPath(path) || path === '/api/v1/stream');
}

/** HEAD is a GET without the body (monitors and link checkers use it): it reads what GET may read. */
function isRead(method: string): boolean {
	return method === 'GET' || method === 'HEAD';
}

function pageRule(path: string): PageRule | undefined {
	if (path === '/') return PAGE_RULES[0];
	return PAGE_RULES.filter((r) => r.prefix !== '/' && under(path, r.prefix)).sort((a, b) => b.prefix.length - a.prefix.length)[0];
}

/** Whether a role may open a page of the app (unlisted pages: any signed-in role). */
export function mayOpenPage(role: Role, path: string): boolean {
	if (role === 'admin') return true;
	const rule = pageRule(path);
	return !rule || rule.roles.includes(role);
}

/** Header navigation for a role: only the pages it may open. */
export function navFor(role: Role): { href: string; label: string }[] {
	return PAGE_RULES.filter((r) => r.nav && (role === 'admin' || r.roles.includes(role))).map((r) => ({ href: r.prefix, label: r.nav! }));
}

export type Decision =
	| { kind: 'allow' }
	/** Anonymous page request: send to the sign-in page. */
	| { kind: 'login' }
	| { kind: 'deny'; status: 401 | 403; message: string };

export function forbiddenPageMessage(role: Role, path: string): string {
	return path === '/settings' || path.startsWith('/settings/')
		? 'Settings are for administrators only.'
		: `Your role (${role}) may not open ${path}.`;
}

/** What to do with a request, from who makes it and where it goes. */
export function decideRoute(p: Principal | null, method: string, path: string): Decision {
	if (PUBLIC_PATHS.has(path) || isStaticAsset(path)) return { kind: 'allow' };
	const api = isApiPath(path);
	if (isWallPath(path)) {
		// Anonymous walls reach their page, which shows a kiosk-friendly "token invalid or revoked" screen, never a login form.
		if (!p || p.kind === 'display' || p.kind === 'user') return { kind: 'allow' };
		return { kind: 'deny', status: 403, message: 'API keys cannot open wall displays' };
	}
	if (!p) return api ? { kind: 'deny', status: 401, message: 'authentication required: sign in, or send Authorization: Bearer <API key>' } : { kind: 'login' };
	if (p.kind === 'display') {
		if (api && acceptsDisplayBearer(method, path)) return { kind: 'allow' };
		return { kind: 'deny', status: 403, message: 'a display token opens wall displays only' };
	}
	if (api) return { kind: 'allow' };
	if (p.kind === 'api-key') return { kind: 'deny', status: 403, message: 'API keys work on /api/v1 only; sign in to use the app' };
	if (!mayOpenPage(p.role, path)) return { kind: 'deny', status: 403, message: forbiddenPageMessage(p.role, path) };
	return { kind: 'allow' };
}

/** `next` after sign-in: only a local absolute path (no scheme, no `//host`, no backslash tricks). */
export function safeNextPath(raw: string | null | undefined): string {
	if (!raw || !raw.startsWith('/') || raw.startsWith('//') || raw.includes('\\') || [...raw].some((c) => c.charCodeAt(0) < 32)) return '/';
	if (raw === '/login' || raw.startsWith('/login?') || raw.startsWith('/logout')) return '/';
	return raw;
}
