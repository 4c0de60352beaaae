// Size limits of event fields; generous for real data, small enough to keep a bad client from bloating the store.
export const MAX_ID_LENGTH = 200;
export const MAX_TYPE_LENGTH = 64;
export const MAX_ATTRS_BYTES = 16_384;
/** Events may be stamped at most this far after the server's clock (clock skew of senders). */
export const MAX_FUTURE_MICROS = 5 * 60 * 1_000_000;
/** At most this many errors are reported for one batch (DESIGN §3). */
export const MAX_ERRORS = 100;
