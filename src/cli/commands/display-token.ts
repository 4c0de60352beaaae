// `cx display-token create --board NAME` / `revoke ID` / `list`: wall display tokens, as on the Settings page.
import { getDb } from '../../lib/server/db';
import { createDisplayToken, listDisplayTokens, revokeDisplayToken } from '../../lib/server/auth/display-tokens';
import { oneOf, UsageError, type Command, type CommandContext } from '../command';
import { CLI_ACTOR } from '../../lib/server/auth/actors';
import { boardNames } from '../../lib/server/metrics/board-store';
import { BUILTIN_BOARDS } from '../../lib/server/metrics/boards';
import { chooseCredentialName } from '../../lib/server/auth/credential-name';
import { storedDatabase } from '../stored-database';

async function create({ values, out, err }: CommandContext): Promise<number> {
	// Built-in and custom boards: the custom ones live in the database, which a new one has none of.
	const stored = await storedDatabase();
	const board = oneOf('--board', values.board, stored ? await boardNames(stored) : BUILTIN_BOARDS.map((b) => b.name));
	const name = typeof values.name === 'string' ? values.name : undefined;
	// The library speaks of the Settings form's "name" field; here it is the --name flag.
	const refuse = (error: string) => (err(`cx display-token create: ${error.replace(/^name /, '--name ')}`), 1);
	// The name itself before a new database is created; createDisplayToken checks it again, and whether it is in use.
	const named = chooseCredentialName(name, [], 'token', 'display token');
	if (!named.ok) return refuse(named.error);
	const r = await createDisplayToken(await getDb(), { board, name, createdBy: CLI_ACTOR });
	if (!r.ok) return refuse(r.error);
	out(`created display token "${r.value.displayToken.name}" (id ${r.value.displayToken.id}) for board ${r.value.displayToken.board}; it never expires, revoke it to stop it`);
	out('open this path on your server (e.g. http://HOST:3000 followed by it) on the wall screen; shown once, on the next line:');
	out(r.value.path);
	return 0;
}

async function list({ out }: CommandContext): Promise<number> {
	const tokens = await listDisplayTokens(await getDb());
	if (tokens.length === 0) {
		out('no display tokens yet (create one with: display-token create --board main)');
		return 0;
	}
	out(`${'ID'.padEnd(26)} ${'BOARD'.padEnd(12)} ${'STATUS'.padEnd(8)} NAME`);
	for (const t of tokens) out(`${t.id.padEnd(26)} ${t.board.padEnd(12)} ${(t.revokedAt ? 'revoked' : 'active').padEnd(8)} ${t.name}`);
	return 0;
}

async function revoke({ positionals, out, err }: CommandContext): Promise<number> {
	const [id, ...extra] = positionals;
	if (!id || extra.length) throw new UsageError('give exactly one token id: display-token revoke ID');
	const db = await getDb();
	// Revoking is idempotent for the Settings page; on the command line a second revoke usually means a wrong id.
	const before = (await listDisplayTokens(db)).find((t) => t.id === id);
	if (before?.revokedAt) {
		err(`cx display-token revoke: display token "${before.name}" (id ${id}) was already revoked at ${before.revokedAt.slice(0, 19).replace('T', ' ')} UTC`);
		return 1;
	}
	const r = await revokeDisplayToken(db, id, CLI_ACTOR);
	if (!r.ok) {
		err(`cx display-token revoke: ${r.error}`);
		return 1;
	}
	out(`revoked display token "${r.value.name}" (id ${r.value.id}); its wall now shows "revoked"`);
	return 0;
}

export const displayTokenCommand: Command = {
	name: 'display-token',
	usage: 'display-token create --board NAME [--name N] | display-token list | display-token revoke ID',
	summary: 'tokens that open a wall board without signing in: the wall path is printed once, on the last line',
	options: { board: { type: 'string' }, name: { type: 'string' } },
	subcommands: {
		create: { flags: ['board', 'name'] },
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
