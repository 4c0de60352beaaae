// Every schema change, in order. Append a new numbered file; never edit one that has shipped.
import { m0001Core } from './0001-core';
import { m0003Events } from './0003-events';
import { m0004IngestState } from './0004-ingest-state';
import { m0005Rollups } from './0005-rollups';
import { m0006Churn } from './0006-churn';
import { m0008Alerts } from './0008-alerts';
import { m0009Notifications } from './0009-notifications';
import { m0002Auth } from './0002-auth';
import { m0010ActivitySpans } from './0010-activity-spans';
import { m0011DropEventKeys } from './0011-drop-event-keys';
import { m0012DropRollupKeys } from './0012-drop-rollup-keys';
import { m0013ScoreHistoryPoints } from './0013-score-history-points';
import { m0014WorkItemNotes } from './0014-work-item-notes';
import { m0015TrainRuns } from './0015-train-runs';
import { m0016SilenceEnded } from './0016-silence-ended';
import { m0017BacktestRuns } from './0017-backtest-runs';
import { m0018WallBoards } from './0018-wall-boards';
import { m0019DefaultTemplate } from './0019-default-template';
import { m0020UserSettings } from './0020-user-settings';
import { m0021CustomerValueGiven } from './0021-customer-value-given';
import { m0022DebtRecomputePending } from './0022-debt-recompute-pending';
import { m0023ToleranceRemovals } from './0023-tolerance-removals';
import { m0024BacktestNotScored } from './0024-backtest-not-scored';
import { m0025ScoreRemovals } from './0025-score-removals';

export interface Migration {
	id: number;
	name: string;
	sql: string;
}

// Numbers reserved: 0002 auth, 0004 ingest state, 0005 rollups, 0006 churn, 0007 demo, 0008+ alerts.
export const MIGRATIONS: Migration[] = [m0001Core, m0003Events, m0004IngestState, m0005Rollups, m0006Churn, m0008Alerts, m0002Auth, m0009Notifications, m0010ActivitySpans, m0011DropEventKeys, m0012DropRollupKeys, m0013ScoreHistoryPoints, m0014WorkItemNotes, m0015TrainRuns, m0016SilenceEnded, m0017BacktestRuns, m0018WallBoards, m0019DefaultTemplate, m0020UserSettings, m0021CustomerValueGiven, m0022DebtRecomputePending, m0023ToleranceRemovals, m0024BacktestNotScored, m0025ScoreRemovals];
