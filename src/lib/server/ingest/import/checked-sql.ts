// Validation of imported rows in SQL (the same rules as validate-event.ts, applied set-based), so
// millions of rows are checked by DuckDB's vectorised engine instead of row by row in JS.
import { CHANNELS, EVENT_TYPES, RATING_RANGES } from '../../../shared/events';
import { MAX_ATTRS_BYTES, MAX_ID_LENGTH, MAX_TYPE_LENGTH, MIN_OCCURRED_AT } from '../limits';

export const CHECKED_TABLE = '_import_checked';

const list = (xs: readonly string[]) => xs.map((x) => `'${x}'`).join(', ');
/** A DOUBLE as the API prints it: 11, not 11.0 (whole numbers of any practical size), else DuckDB's text. */
const numberText = (col: string) => `CASE WHEN ${col} = trunc(${col}) AND abs(${col}) < 1e15 THEN ${col}::BIGINT::VARCHAR ELSE ${col}::VARCHAR END`;
const survey = Object.entries(RATING_RANGES)
	.map(([t, [lo, hi]]) => `WHEN ty = '${t}' AND r IS NULL THEN 'rating|is required for ${t}: a whole number from ${lo} to ${hi}'
		WHEN ty = '${t}' AND (r < ${lo} OR r > ${hi}) THEN 'rating|must be from ${lo} to ${hi} for ${t}, got ' || ${numberText('r')}`)
	.join('\n\t\t');
const textCheck = (col: string, field: string) =>
	`WHEN ${col} IS NOT NULL AND length(${col}) > ${MAX_ID_LENGTH} THEN '${field}|must be at most ${MAX_ID_LENGTH} characters'`;

/**
 * Rows [lo, hi) of the canonical table `canon`, normalised, each with `err` = 'field|message' of its first
 * problem or NULL, in the shape of the ingest stage (stage.ts; attrs is NULL where `err` says it is not
 * JSON). Parameters: $lo, $hi, $source, $now (TIMESTAMP, UTC). Times without an offset are read in the
 * connection's TimeZone (set to UTC or the import's --timezone). With `sourceColumn` the canonical table
 * has `_source` (a `cx export` file's source column): each row's own source, $source where it is empty.
 */
export const checkedSql = (canon: string, opts: { sourceColumn?: boolean } = {}): string => {
	// Without a source column the rows keep the plain $source of before (the bulk path stays as it was).
	const src = opts.sourceColumn ? 'src' : '$source';
	return `
CREATE OR REPLACE TEMP TABLE ${CHECKED_TABLE} AS
WITH n AS (
	SELECT rowid AS rn, _line, _type_err,
		NULLIF(trim(event_id), '') AS eid,
		NULLIF(trim(customer_id), '') AS cid,
		occurred_at AS ts_text,
		TRY_CAST(NULLIF(trim(occurred_at), '') AS TIMESTAMPTZ) AT TIME ZONE 'UTC' AS ts,
		coalesce(NULLIF(trim(channel), ''), 'other') AS ch,
		NULLIF(trim(type), '') AS ty,
		value AS v_text,
		TRY_CAST(NULLIF(trim(value), '') AS DOUBLE) AS v,
		rating AS r_text,
		TRY_CAST(NULLIF(trim(rating), '') AS DOUBLE) AS r,
		NULLIF(ticket_id, '') AS tk,
		NULLIF(agent_id, '') AS ag,
		NULLIF(trim(attrs), '') AS atx${opts.sourceColumn ? `,
		CASE WHEN NULLIF(trim(_source), '') IS NULL THEN $source ELSE _source END AS src` : ''}
	FROM ${canon} WHERE rowid >= $lo AND rowid < $hi
),
c AS (
	SELECT *, CASE
		WHEN _type_err IS NOT NULL THEN _type_err
		WHEN cid IS NULL THEN 'customer_id|is required (non-empty text)'
		${textCheck('cid', 'customer_id')}
		WHEN NULLIF(trim(ts_text), '') IS NULL THEN 'occurred_at|is required (an ISO-8601 timestamp or date)'
		WHEN ts IS NULL THEN 'occurred_at|must be an ISO-8601 timestamp or date, got "' || left(ts_text, 80) || '"'
		WHEN ts > $now::TIMESTAMP + INTERVAL 5 MINUTE THEN 'occurred_at|is more than 5 minutes in the future'
		WHEN ts < TIMESTAMP '${MIN_OCCURRED_AT}' THEN 'occurred_at|must not be before ${MIN_OCCURRED_AT}, got "' || left(ts_text, 80) || '"'
		WHEN ch NOT IN (${list(CHANNELS)}) THEN 'channel|must be one of ${CHANNELS.join(', ')}; got "' || left(ch, 80) || '"'
		WHEN ty IS NULL THEN 'type|is required'
		WHEN NOT (ty IN (${list(EVENT_TYPES)}) OR (length(ty) <= ${MAX_TYPE_LENGTH} AND regexp_full_match(ty, '^x-[A-Za-z0-9][A-Za-z0-9_.:-]*$')))
			THEN 'type|must be a standard type or a custom type starting with "x-"; got "' || left(ty, 80) || '"'
		WHEN NULLIF(trim(v_text), '') IS NOT NULL AND (v IS NULL OR NOT isfinite(v)) THEN 'value|must be a finite number, got "' || left(v_text, 80) || '"'
		WHEN NULLIF(trim(r_text), '') IS NOT NULL AND (r IS NULL OR r <> floor(r) OR abs(r) > 2147483647) THEN 'rating|must be a whole number, got "' || left(r_text, 80) || '"'
		${survey}
		${textCheck('tk', 'ticket_id')}
		${textCheck('ag', 'agent_id')}
		WHEN atx IS NOT NULL AND NOT (left(atx, 1) = '{' AND json_valid(atx)) THEN 'attrs|must be a JSON object'
		WHEN atx IS NOT NULL AND octet_length(encode(atx)) > ${MAX_ATTRS_BYTES} THEN 'attrs|must be at most ${MAX_ATTRS_BYTES} bytes of JSON'
		${textCheck('eid', 'event_id')}
		${opts.sourceColumn ? textCheck('src', 'source') : ''}
	END AS err
	FROM n
)
SELECT rn, _line, err,
	coalesce(eid, substr(sha256(concat_ws(chr(31), ${src}, cid, strftime(ts, '%Y-%m-%dT%H:%M:%S.%fZ'), ch, ty,
		coalesce(v::VARCHAR, ''), coalesce(TRY_CAST(r AS BIGINT)::VARCHAR, ''), coalesce(tk, ''), coalesce(ag, ''), coalesce(atx, ''))), 1, 32)) AS event_id,
	cid AS customer_id, ts AS occurred_at, ch AS channel, ty AS type, v AS value, TRY_CAST(r AS INTEGER) AS rating,
	tk AS ticket_id, ag AS agent_id, TRY_CAST(atx AS JSON) AS attrs, ${src}::TEXT AS source,
	$now::TIMESTAMP AS ingested_at, 0 AS _batch
FROM c`;
};
