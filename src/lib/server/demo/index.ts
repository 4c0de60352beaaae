// The demo world: a seeded customer simulator (history + live stream) that feeds the ingest path.
export { generateHistory, createHistoryRun, type HistoryOptions, type HistoryChunk, type HistoryRun } from './history';
export { seedDemoHistory, countDemoEvents, type SeedProgress, type SeedSummary, type SeedResult } from './seed-history';
export { startLiveDemo, type LiveOptions, type StopLive } from './live';
export { startDemo, stopDemo } from './startup-step';
export { demoFit, otherDataText, type DemoFit } from './database-fit';
export type { DemoEvent, DemoCustomerRecord, Segment } from './types';
