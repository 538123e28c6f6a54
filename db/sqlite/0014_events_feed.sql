-- The events feed (GET /api/v1/events) follows case_events in commit order with a cursor that never skips an event
-- that commits later with a lower number (decision 0015).
--   case_events.feed_position  taken inside the writing transaction (one more than the highest so far)
--   case_events.feed_commit    the same number: SQLite has one writer at a time, so positions taken inside write
--                              transactions are already in commit order and need no visibility rule
-- Existing events are numbered in chain order: a case's events in seq order, cases interleaved by the latest time
-- their chain had reached (then case id, then seq).

ALTER TABLE case_events ADD COLUMN feed_commit INTEGER NULL;
ALTER TABLE case_events ADD COLUMN feed_position INTEGER NULL;
UPDATE case_events SET feed_position = r.n, feed_commit = r.n
FROM (
    SELECT case_id, seq, ROW_NUMBER() OVER (ORDER BY chain_time, case_id, seq) AS n
    FROM (SELECT case_id, seq, MAX(occurred_at) OVER (PARTITION BY case_id ORDER BY seq ROWS UNBOUNDED PRECEDING) AS chain_time FROM case_events) t
) r
WHERE r.case_id = case_events.case_id AND r.seq = case_events.seq;
CREATE UNIQUE INDEX ux_case_events_feed ON case_events (feed_position);

CREATE TRIGGER tr_case_events_feed_position AFTER INSERT ON case_events FOR EACH ROW WHEN NEW.feed_position IS NULL
BEGIN
    UPDATE case_events SET feed_position = (SELECT COALESCE(MAX(feed_position), 0) + 1 FROM case_events) WHERE rowid = NEW.rowid;
    UPDATE case_events SET feed_commit = feed_position WHERE rowid = NEW.rowid;
END;
