// `cx users add NAME --role ROLE` and `cx users list`: the same functions as the Settings page.
import { getDb } from '../../lib/server/db';
import { checkNewUser, createUser, listUsers } from '../../lib/server/auth/users';
import { ROLES } from '../../lib/shared/auth-types';
import { oneOf, UsageError, type Command, type CommandContext } from '../command';
import { readNewPassword } from './users-read-password';
import { CLI_ACTOR } from '../../lib/server/auth/actors';
import { checkPassword } from '../../lib/server/auth/password';
import { storedDatabase } from '../stored-database';

async function addUser({ values, positionals, out, err }: CommandContext): Promise<number> {
	const [name, ...extra] = positionals;
	if (!name || extra.length) throw new UsageError('give exactly one user name: users add NAME --role ROLE');
	const role = oneOf('--role', values.role, ROLES);
	// Before the password: nobody should type one twice only to hear the role is unknown.
	const refused = await checkNewUser(await storedDatabase(), name, role);
	if (refused) {
		err(`cx users add: ${refused}`);
		return 1;
	}
	let source;
	try {
		source = await readNewPassword();
	} catch (e) {
		err(`cx users add: ${(e as Error).message}`);
		return 1;
	}
	// createUser would refuse it too, but only after creating a new database.
	const weak = source.kind === 'given' ? checkPassword(source.password) : null;
	if (weak) {
		err(`cx users add: ${weak}`);
		return 1;
	}
	const r = await createUser(await getDb(), { username: name, role, password: source.kind === 'given' ? source.password : undefined, actor: CLI_ACTOR });
	if (!r.ok) {
		err(`cx users add: ${r.error}`);
		return 1;
	}
	out(`created user ${r.value.user.username} (role ${r.value.user.role}, id ${r.value.user.id})`);
	if (r.value.generatedPassword) {
		out(`generated password (shown once) on the next line:`);
		out(r.value.generatedPassword);
	}
	return 0;
}

async function listAll({ out }: CommandContext): Promise<number> {
	const users = await listUsers(await getDb());
	if (users.length === 0) {
		out('no users yet (the server creates "admin" on first start)');
		return 0;
	}
	out(`${'USERNAME'.padEnd(24)} ${'ROLE'.padEnd(10)} ${'STATUS'.padEnd(9)} ${'CREATED (UTC)'.padEnd(20)} ID`);
	for (const u of users)
		out(`${u.username.padEnd(24)} ${u.role.padEnd(10)} ${(u.disabled ? 'disabled' : 'active').padEnd(9)} ${u.createdAt.slice(0, 19).replace('T', ' ').padEnd(20)} ${u.id}`);
	return 0;
}

export const usersCommand: Command = {
	name: 'users',
	usage: 'users add NAME --role ROLE | users list',
	summary: 'add a user (password from stdin or a hidden prompt; empty: generated and printed once) or list users',
	subcommands: { add: { positionals: ['NAME'], flags: ['role'] }, list: { db: 'existing', flags: [] } },
	options: { role: { type: 'string' } },
	async run(ctx) {
		const [sub, ...rest] = ctx.positionals;
		if (sub === 'add') return addUser({ ...ctx, positionals: rest });
		if (sub === 'list') return listAll({ ...ctx, positionals: rest });
		throw new UsageError(sub ? `unknown subcommand "${sub}" (add or list)` : 'say add or list');
	}
};
