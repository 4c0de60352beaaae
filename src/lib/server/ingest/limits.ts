// Size limits of event fields; generous for real data, small enough to keep a bad client from bloating the store.
export const MAX_ID_LENGTH = 200;
export const MAX_TYPE_LENGTH = 64;
export const MAX_ATTRS_BYTES = 16_384;
/** Events may be stamped at most this far after the server's clock (clock skew of senders). */
export const MAX_FUTURE_MICROS = 5 * 60 * 1_000_000;
/** At most this many errors are reported for one batch (DESIGN §3). */
export const MAX_ERRORS = 100;
/** attrs may nest objects/arrays at most this deep (deeper input overflowed the stack: a 500, or a crashed importer). */
export const MAX_ATTRS_DEPTH = 64;
/** Events before this are refused (the JSON, Arrow and import paths agree). */
export const MIN_OCCURRED_AT = '1900-01-01';
export const MIN_OCCURRED_MICROS = Date.UTC(1900, 0, 1) * 1000;
/** Values echoed back in error messages are cut to this many characters (a multi-MB field must not make a multi-MB answer). */
export const MAX_ECHO_CHARS = 80;
