// Public face of the ingest module: what routes, the CLI and the demo simulator call.
export { ingestEvents, type IngestResult, type IngestOptions } from './ingest-events';
export { upsertCustomers, type UpsertCustomersResult } from '../customers/upsert-customers';
export { importCustomersFile, type CustomerFileResult, type CustomerRowError } from '../customers/import-customers-file';
export { validateEvents, type ValidateOptions } from './validate-event';
export { deriveEventId, canonicalJson } from './event-id';
export type { NormalizedEvent } from './normalized-event';
export { receiveEvents, type EventsRequest, type EventsResponse } from './receive-events';
export { parseEventsBody, bodyFormatOf, type BodyFormat } from './parse-body';
export { importMemoryLimit } from './import/memory-limit';
export { checkImport, importChecked, importFile, presetConflict, PRESETS, timeZoneProblem, type ImportOptions, type ImportSummary, type ImportResult, type ImportRowError, type ImportErrorGroup, type Preset } from './import/import-file';
export { parseMap, type ColumnMap } from './import/canonical';
export { IMPORT_FORMATS, type ImportFormat } from './import/reader';
