// Every CLI command. Add one file per command and list it here.
import type { Command } from '../command';
import { migrateCommand } from './migrate';

export const COMMANDS: Command[] = [migrateCommand];
