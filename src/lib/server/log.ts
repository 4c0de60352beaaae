// Leveled logging to stdout/stderr. Never pass secrets here except through printSecretOnce.
import { config, type LogLevel } from './config';

const order: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

function emit(level: LogLevel, msg: string, fields?: Record<string, unknown>): void {
	if (order[level] < order[config().logLevel]) return;
	const line = `${new Date().toISOString()} ${level.toUpperCase().padEnd(5)} ${msg}${fields ? ' ' + JSON.stringify(fields) : ''}`;
	if (level === 'error' || level === 'warn') console.error(line);
	else console.log(line);
}

export const log = {
	/** Whether messages of this level are printed (to skip work done only for a log line). */
	enabled: (level: LogLevel) => order[level] >= order[config().logLevel],
	debug: (msg: string, fields?: Record<string, unknown>) => emit('debug', msg, fields),
	info: (msg: string, fields?: Record<string, unknown>) => emit('info', msg, fields),
	warn: (msg: string, fields?: Record<string, unknown>) => emit('warn', msg, fields),
	error: (msg: string, fields?: Record<string, unknown>) => emit('error', msg, fields)
};
