import type { Migration } from './index';

// score_history kept every score: the server re-scores a customer within seconds of each new event, so a
// busy customer got thousands of identical points a day (estimated from the scorer's pace: up to ~1.7 M
// rows a day on the demo stream, ~35 M at 2,000 events/s) and the customer page's history read grew with them. A point is now written when
// the score moves (churn/score.ts, HISTORY_*); `scores` remembers the last point written, since
// comparing with the previous score would let slow drift in small steps go unrecorded.
// NULL (existing rows) means no point recorded yet: the next score writes one.
export const m0013ScoreHistoryPoints: Migration = {
	id: 13,
	name: 'score-history-points',
	sql: `
ALTER TABLE scores ADD COLUMN history_probability DOUBLE;
ALTER TABLE scores ADD COLUMN history_at TIMESTAMP;
`
};
