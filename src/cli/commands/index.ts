// Every CLI command. Add one file per command and list it here.
import type { Command } from '../command';
import { migrateCommand } from './migrate';
import { backtestCommand } from './backtest';
import { demoCommand } from './demo';

export const COMMANDS: Command[] = [migrateCommand, backtestCommand, demoCommand];
