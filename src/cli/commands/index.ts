// Every CLI command. Add one file per command and list it here.
import type { Command } from '../command';
import { migrateCommand } from './migrate';
import { importCommand } from './import';
import { importCustomersCommand } from './import-customers';
import { backtestCommand } from './backtest';
import { trainCommand } from './train';
import { modelsCommand } from './models';
import { promoteCommand } from './promote';
import { rollbackCommand } from './rollback';
import { scoreCommand } from './score';
import { modelCardCommand } from './model-card';
import { demoCommand } from './demo';
import { usersCommand } from './users';
import { keysCommand } from './keys';
import { displayTokenCommand } from './display-token';
import { boardsCommand } from './boards';
import { exportCommand } from './export';
import { recomputeDebtCommand } from './recompute-debt';

export const COMMANDS: Command[] = [migrateCommand, importCommand, importCustomersCommand, backtestCommand, trainCommand, modelsCommand, promoteCommand, rollbackCommand, scoreCommand, modelCardCommand, demoCommand, usersCommand, keysCommand, displayTokenCommand, boardsCommand, exportCommand, recomputeDebtCommand];
