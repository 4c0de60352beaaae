import { fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { actorName, requireUser } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db';
import { createUser, listUsers, resetPassword, setUserDisabled, setUserRole } from '$lib/server/auth/users';
import { createApiKey, listApiKeys, revokeApiKey } from '$lib/server/auth/api-keys';
import { createDisplayToken, listDisplayTokens, revokeDisplayToken } from '$lib/server/auth/display-tokens';
import { listAudit } from '$lib/server/auth/audit';
import { servedUrl } from '$lib/server/auth/served-origin';
import { listBoards } from '$lib/server/metrics/board-store';
import { boardJson } from '$lib/server/metrics/board-json';
import { METRICS } from '$lib/server/metrics/definitions';
import { KEY_SCOPES, ROLES } from '$lib/shared/auth-types';
import { listToleranceSettings, removeToleranceSettings } from '$lib/server/alerts/tolerance-settings';
import { storedOutOfRange } from '$lib/server/alerts/tolerance-stored-range';
import { segmentWithoutCustomers } from '$lib/server/alerts/tolerance-segment-notice';
import { ownLimitCounts, saveToleranceForm } from '$lib/server/alerts/tolerance-form';
import { EXPERIENCE_KINDS, EXPERIENCE_LABELS } from '$lib/server/alerts/tolerance-defaults';
import { debtRecomputeStatus, scheduleDebtRecompute } from '$lib/server/alerts/debt-recompute-job';

type Section = 'users' | 'keys' | 'displays';

/** The tolerance form's fields in the order the page shows them (the first refused one takes the focus). */
const TOLERANCE_FIELDS = ['segment', 'limit', 'halfLifeDays', 'firstResponseSlaHours', ...EXPERIENCE_KINDS.map((k) => `weights.${k}`)];

const ADMIN_ONLY = [] as const;

export const load: PageServerLoad = async ({ locals }) => {
	requireUser(locals, ADMIN_ONLY);
	const db = await getDb();
	const boards = await listBoards(db);
	const tolerance = await listToleranceSettings(db);
	return {
		users: await listUsers(db),
		keys: await listApiKeys(db),
		displayTokens: await listDisplayTokens(db),
		audit: await listAudit(db, 30),
		boards: boards.map((b) => ({ name: b.name, title: b.title })),
		wallBoards: boards.map(boardJson),
		metricCatalogue: METRICS.map((m) => ({ id: m.id, label: m.label, unit: m.unit, description: m.description })),
		roles: [...ROLES],
		scopes: [...KEY_SCOPES],
		tolerance,
		// Values stored before the ranges existed, marked at their fields until saved in range.
		toleranceStored: storedOutOfRange(tolerance),
		limitCounts: await ownLimitCounts(db),
		debtRecompute: debtRecomputeStatus(),
		experienceKinds: EXPERIENCE_KINDS.map((kind) => ({ kind, label: EXPERIENCE_LABELS[kind] }))
	};
};

async function formOf(event: RequestEvent) {
	const admin = requireUser(event.locals, ADMIN_ONLY);
	const form = await event.request.formData();
	const field = (name: string) => String(form.get(name) ?? '').trim();
	return { admin, field, db: await getDb() };
}

/**
 * A refusal; `at`: the add form and its field at fault (422), where the page shows the message, beside that field.
 * `values`: what was typed into the section's add form, filled back in when the answer is a new page (no
 * JavaScript); never a password.
 */
const failed = (section: Section, message: string, at?: { form: string; field: string }, values?: Record<string, string>) =>
	fail(at ? 422 : 400, { section, ok: false as const, message, ...at, ...(values ? { values } : {}) });
const atField = (form: string, field: string | undefined) => (field ? { form, field } : undefined);
const done = (section: Section, message: string, secret?: { label: string; value: string }) => ({ section, ok: true as const, message, secret });

export const actions: Actions = {
	addUser: async (event) => {
		const { admin, field, db } = await formOf(event);
		const password = field('password');
		const r = await createUser(db, { username: field('username'), role: field('role'), password: password || undefined, actor: actorName(admin) });
		if (!r.ok) return failed('users', r.error, atField('addUser', r.field), { username: field('username'), role: field('role') });
		const pw = r.value.generatedPassword;
		return done('users', `Added ${r.value.user.username} (${r.value.user.role}).`, pw ? { label: `Password for ${r.value.user.username}`, value: pw } : undefined);
	},
	setRole: async (event) => {
		const { admin, field, db } = await formOf(event);
		const r = await setUserRole(db, field('id'), field('role'), actorName(admin));
		return r.ok ? done('users', `${r.value.username} is now ${r.value.role}.`) : failed('users', r.error);
	},
	setDisabled: async (event) => {
		const { admin, field, db } = await formOf(event);
		const r = await setUserDisabled(db, field('id'), field('disabled') === 'true', actorName(admin));
		if (!r.ok) return failed('users', r.error);
		return done('users', r.value.disabled ? `${r.value.username} is disabled and signed out everywhere.` : `${r.value.username} is enabled again.`);
	},
	resetPassword: async (event) => {
		const { admin, field, db } = await formOf(event);
		const r = await resetPassword(db, field('id'), undefined, actorName(admin));
		if (!r.ok) return failed('users', r.error);
		return done('users', `New password set for ${r.value.user.username}; their sessions have ended.`, {
			label: `New password for ${r.value.user.username}`,
			value: r.value.password
		});
	},
	createKey: async (event) => {
		const { admin, field, db } = await formOf(event);
		const r = await createApiKey(db, { scope: field('scope'), name: field('name'), createdBy: actorName(admin) });
		if (!r.ok) return failed('keys', r.error, atField('createKey', r.field), { name: field('name'), scope: field('scope') });
		return done('keys', `Created API key “${r.value.key.name}” (scope ${r.value.key.scope}).`, { label: 'API key', value: r.value.token });
	},
	revokeKey: async (event) => {
		const { admin, field, db } = await formOf(event);
		const r = await revokeApiKey(db, field('id'), actorName(admin));
		return r.ok ? done('keys', `Revoked API key “${r.value.name}”.`) : failed('keys', r.error);
	},
	createDisplayToken: async (event) => {
		const { admin, field, db } = await formOf(event);
		const r = await createDisplayToken(db, { board: field('board'), name: field('name'), createdBy: actorName(admin) });
		if (!r.ok) return failed('displays', r.error, atField('createDisplayToken', r.field), { board: field('board'), name: field('name') });
		return done('displays', `Created a display token for the board “${r.value.displayToken.board}”.`, {
			label: 'Wall URL',
			value: `${servedUrl(event.url).origin}${r.value.path}`
		});
	},
	saveTolerance: async (event) => {
		const admin = requireUser(event.locals, ADMIN_ONLY);
		const form = await event.request.formData();
		const values: Record<string, string> = {};
		for (const [k, v] of form) if (typeof v === 'string') values[k] = v;
		// The "add a segment" form is keyed by the empty segment, so its errors show on that form.
		const adding = event.url.searchParams.has('new');
		const key = adding ? '' : (values.segment ?? '');
		const db = await getDb();
		const r = await saveToleranceForm(db, (name) => values[name] ?? '', actorName(admin), { adding });
		if (!r.ok) {
			// `form`/`field`: the first marked field in the form's order takes the focus (settings-submit.ts).
			const field = TOLERANCE_FIELDS.find((f) => r.errors[f]) ?? Object.keys(r.errors)[0];
			return fail(400, { section: 'tolerance' as const, ok: false as const, message: 'Not saved: fix the marked fields.', segment: key, errors: r.errors, values, form: 'saveTolerance', field });
		}
		scheduleDebtRecompute(db);
		const segment = r.value.segment;
		const whose = segment === '*' ? 'every customer' : `the customers of segment ${segment}`;
		const notice = await segmentWithoutCustomers(db, segment);
		return {
			section: 'tolerance' as const,
			ok: true as const,
			message: `Saved tolerance for segment ${segment}. Recomputing the experience debt of ${whose} with the new settings in the background: progress below.${notice ? ` Note: ${notice}.` : ''}`,
			segment
		};
	},
	removeTolerance: async (event) => {
		const admin = requireUser(event.locals, ADMIN_ONLY);
		const segment = String((await event.request.formData()).get('segment') ?? '');
		const db = await getDb();
		const r = await removeToleranceSettings(db, segment, actorName(admin));
		if (!r.ok) return fail(r.status, { section: 'tolerance' as const, ok: false as const, message: `Not removed: ${r.error}.` });
		scheduleDebtRecompute(db);
		return {
			section: 'tolerance' as const,
			ok: true as const,
			message: `Removed the tolerance settings of segment ${segment}. Its customers now use the * settings; recomputing their experience debt in the background: progress below.`
		};
	},
	revokeDisplayToken: async (event) => {
		const { admin, field, db } = await formOf(event);
		const r = await revokeDisplayToken(db, field('id'), actorName(admin));
		return r.ok ? done('displays', `Revoked the display token “${r.value.name}”; its wall now shows “revoked”.`) : failed('displays', r.error);
	}
};
