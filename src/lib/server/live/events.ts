// Server side of the one typed live-event map (DESIGN §7). The map itself lives in
// shared/live-events.ts because the browser's stream client reads the same types.
export type {
	AlertPayload,
	DebtRecomputePayload,
	FiringPayload,
	HeartbeatPayload,
	LiveEventMap,
	LiveEventName,
	ScorePayload,
	TilesPayload,
	TrainProgressPayload,
	WorkItemPayload
} from '../../shared/live-events';
export { LIVE_EVENT_NAMES } from '../../shared/live-events';
