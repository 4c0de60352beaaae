// `cx keys create|list|revoke`: API keys, the same functions as the Settings page.
import { getDb } from '../../lib/server/db';
import { createApiKey, listApiKeys, revokeApiKey } from '../../lib/server/auth/api-keys';
import { KEY_SCOPES } from '../../lib/shared/auth-types';
import { oneOf, UsageError, type Command, type CommandContext } from '../command';
import { CLI_ACTOR } from '../../lib/server/auth/actors';
import { chooseCredentialName } from '../../lib/server/auth/credential-name';


async function create({ values, out, err }: CommandContext): Promise<number> {
	const scope = oneOf('--scope', values.scope, KEY_SCOPES);
	const name = typeof values.name === 'string' ? values.name : undefined;
	// The library speaks of the Settings form's "name" field; here it is the --name flag.
	const refuse = (error: string) => (err(`cx keys create: ${error.replace(/^name /, '--name ')}`), 1);
	// The name itself before anything may create a new database (createApiKey checks it again, and whether an
	// active key has it: only an existing database can hold one).
	const named = chooseCredentialName(name, [], 'key', 'API key');
	if (!named.ok) return refuse(named.error);
	const r = await createApiKey(await getDb(), { scope, name, createdBy: CLI_ACTOR });
	if (!r.ok) return refuse(r.error);
	out(`created API key "${r.value.key.name}" (id ${r.value.key.id}, scope ${r.value.key.scope})`);
	out('send it as "Authorization: Bearer <key>"; the key is shown once, on the next line:');
	out(r.value.token);
	return 0;
}

async function list({ out }: CommandContext): Promise<number> {
	const keys = await listApiKeys(await getDb());
	if (keys.length === 0) {
		out('no API keys yet (create one with: keys create --scope SCOPE)');
		return 0;
	}
	out(`${'ID'.padEnd(26)} ${'SCOPE'.padEnd(10)} ${'STATUS'.padEnd(8)} ${'LAST USED (UTC)'.padEnd(20)} NAME`);
	for (const k of keys)
		out(
			`${k.id.padEnd(26)} ${k.scope.padEnd(10)} ${(k.revokedAt ? 'revoked' : 'active').padEnd(8)} ${(k.lastUsedAt?.slice(0, 19).replace('T', ' ') ?? 'never').padEnd(20)} ${k.name}`
		);
	return 0;
}

async function revoke({ positionals, out, err }: CommandContext): Promise<number> {
	const [id, ...extra] = positionals;
	if (!id || extra.length) throw new UsageError('give exactly one key id: keys revoke ID');
	const db = await getDb();
	// Revoking is idempotent for the Settings page; on the command line a second revoke usually means a wrong id.
	const before = (await listApiKeys(db)).find((k) => k.id === id);
	if (before?.revokedAt) {
		err(`cx keys revoke: API key "${before.name}" (id ${id}) was already revoked at ${before.revokedAt.slice(0, 19).replace('T', ' ')} UTC`);
		return 1;
	}
	const r = await revokeApiKey(db, id, CLI_ACTOR);
	if (!r.ok) {
		err(`cx keys revoke: ${r.error}`);
		return 1;
	}
	out(`revoked API key "${r.value.name}" (id ${r.value.id})`);
	return 0;
}

export const keysCommand: Command = {
	name: 'keys',
	usage: 'keys create --scope ingest|admin|analyst|retention|executive [--name N] | keys list | keys revoke ID',
	summary: 'API keys for automation: the secret is printed once, on the last line',
	options: { scope: { type: 'string' }, name: { type: 'string' } },
	subcommands: {
		create: { flags: ['scope', 'name'] },
		list: { db: 'existing', flags: [] },
		revoke: { positionals: ['ID'], db: 'existing', flags: [] }
	},
	async run(ctx) {
		const [sub, ...rest] = ctx.positionals;
		const subCtx = { ...ctx, positionals: rest };
		if (sub === 'create') return create(subCtx);
		if (sub === 'list') return list(subCtx);
		if (sub === 'revoke') return revoke(subCtx);
		throw new UsageError(sub ? `unknown subcommand "${sub}" (create, list or revoke)` : 'say create, list or revoke');
	}
};
