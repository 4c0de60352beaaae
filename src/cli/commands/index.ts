// Every CLI command. Add one file per command and list it here.
import type { Command } from '../command';
import { migrateCommand } from './migrate';
import { importCommand } from './import';
import { importCustomersCommand } from './import-customers';
import { backtestCommand } from './backtest';
import { demoCommand } from './demo';

export const COMMANDS: Command[] = [migrateCommand, importCommand, importCustomersCommand, backtestCommand, demoCommand];
