// Where `users add` gets a password: never argv (it would sit in shell history and `ps`). Piped stdin is read
// whole (first line); on a terminal it is prompted twice without echo; empty piped input means "generate one".
import { stdin, stderr } from 'node:process';

export type PasswordSource = { kind: 'given'; password: string } | { kind: 'generate' };

async function readPiped(): Promise<string> {
	const chunks: Buffer[] = [];
	for await (const c of stdin) chunks.push(c as Buffer);
	return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
}

/** Reads one line from the terminal in raw mode, echoing nothing. */
function promptHidden(prompt: string): Promise<string> {
	return new Promise((resolve, reject) => {
		stderr.write(prompt);
		let value = '';
		const finish = (err?: Error) => {
			stdin.setRawMode(false);
			stdin.pause();
			stdin.off('data', onData);
			stderr.write('\n');
			if (err) reject(err);
			else resolve(value);
		};
		const onData = (buf: Buffer) => {
			for (const ch of buf.toString('utf8')) {
				if (ch === '\r' || ch === '\n') return finish();
				if (ch === '\u0003') return finish(new Error('cancelled'));
				if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
				else if (ch >= ' ') value += ch;
			}
		};
		stdin.setRawMode(true);
		stdin.resume();
		stdin.on('data', onData);
	});
}

export async function readNewPassword(): Promise<PasswordSource> {
	if (!stdin.isTTY) {
		const piped = await readPiped();
		return piped === '' ? { kind: 'generate' } : { kind: 'given', password: piped };
	}
	const first = await promptHidden('Password (leave empty to generate one): ');
	if (first === '') return { kind: 'generate' };
	const again = await promptHidden('Repeat password: ');
	if (again !== first) throw new Error('the two passwords differ');
	return { kind: 'given', password: first };
}
