-- The events feed (GET /api/v1/events) follows case_events in commit order with a cursor that never skips an event
-- that commits later with a lower number (decision 0015).
--   case_events.feed_commit    the transaction that wrote the event (pg_current_xact_id(), xid8)
--   case_events.feed_position  a number taken from an identity when the row is inserted: it orders the events of one
--                              transaction; on its own it is not commit-ordered
-- The feed orders by (feed_commit, feed_position) and delivers only events with
-- feed_commit < pg_snapshot_xmin(pg_current_snapshot()): every transaction still running has an id at or above that
-- horizon, and every later one a higher id, so no event can ever appear behind a cursor taken below it.
-- Existing events belong to this script's transaction and are numbered in chain order: a case's events in seq order,
-- cases interleaved by the latest time their chain had reached (then case id, then seq).

ALTER TABLE case_events ADD COLUMN feed_commit xid8 NULL;
ALTER TABLE case_events ADD COLUMN feed_position bigint NULL;
UPDATE case_events SET feed_commit = pg_current_xact_id(), feed_position = r.n
FROM (
    SELECT case_id, seq, ROW_NUMBER() OVER (ORDER BY chain_time, case_id, seq) AS n
    FROM (SELECT case_id, seq, MAX(occurred_at) OVER (PARTITION BY case_id ORDER BY seq ROWS UNBOUNDED PRECEDING) AS chain_time FROM case_events) t
) r
WHERE r.case_id = case_events.case_id AND r.seq = case_events.seq;
ALTER TABLE case_events ALTER COLUMN feed_commit SET DEFAULT pg_current_xact_id();
ALTER TABLE case_events ALTER COLUMN feed_commit SET NOT NULL;
ALTER TABLE case_events ALTER COLUMN feed_position SET NOT NULL;
ALTER TABLE case_events ALTER COLUMN feed_position ADD GENERATED ALWAYS AS IDENTITY;
SELECT setval(pg_get_serial_sequence('case_events', 'feed_position'), COALESCE(MAX(feed_position), 0) + 1, false) FROM case_events;
CREATE UNIQUE INDEX ux_case_events_feed ON case_events (feed_commit, feed_position);
