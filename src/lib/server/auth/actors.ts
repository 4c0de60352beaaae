// Names the software records as the actor of its own actions (audit log, work-item history).
// No user may take one: the intervention effect leaves items the system resolved out of "worked",
// and an audit line by `cli` must mean the command line, not a person.
export const SYSTEM_ACTOR = 'system';
export const CLI_ACTOR = 'cli';
export const RESERVED_ACTORS: readonly string[] = [SYSTEM_ACTOR, CLI_ACTOR];
