-- The events feed (GET /api/v1/events) follows case_events in commit order with a cursor that never skips an event
-- that commits later with a lower number (decision 0015).
--   case_events.feed_commit    rowversion: the database's counter at the row's write; the feed orders by it and
--                              delivers only rows below MIN_ACTIVE_ROWVERSION() (every uncommitted row is at or
--                              above it, every later write higher)
--   case_events.feed_position  a number from a sequence when the row is inserted (not commit-ordered on its own)
-- Existing events are numbered in chain order (a case's events in seq order, cases interleaved by the latest time
-- their chain had reached, then case id, then seq) and touched one by one in that order, so that their rowversions
-- follow it too.

ALTER TABLE case_events ADD feed_position bigint NULL;
CREATE SEQUENCE case_events_feed_position AS bigint START WITH 1;
GO
WITH chained AS (
    SELECT case_id, seq, MAX(occurred_at) OVER (PARTITION BY case_id ORDER BY seq ROWS UNBOUNDED PRECEDING) AS chain_time FROM case_events
), numbered AS (
    SELECT case_id, seq, ROW_NUMBER() OVER (ORDER BY chain_time, case_id, seq) AS n FROM chained
)
UPDATE e SET feed_position = numbered.n
FROM case_events e JOIN numbered ON numbered.case_id = e.case_id AND numbered.seq = e.seq;

DECLARE @next bigint = (SELECT COALESCE(MAX(feed_position), 0) + 1 FROM case_events);
DECLARE @restart nvarchar(200) = N'ALTER SEQUENCE case_events_feed_position RESTART WITH ' + CAST(@next AS nvarchar(20));
EXEC sp_executesql @restart;

ALTER TABLE case_events ALTER COLUMN feed_position bigint NOT NULL;
ALTER TABLE case_events ADD CONSTRAINT df_case_events_feed_position DEFAULT (NEXT VALUE FOR case_events_feed_position) FOR feed_position;
ALTER TABLE case_events ADD feed_commit rowversion;
CREATE UNIQUE INDEX ux_case_events_feed_position ON case_events (feed_position);
GO
DECLARE @p bigint = 1;
DECLARE @last bigint = (SELECT COALESCE(MAX(feed_position), 0) FROM case_events);
WHILE @p <= @last
BEGIN
    UPDATE case_events SET feed_position = feed_position WHERE feed_position = @p;
    SET @p = @p + 1;
END;

CREATE UNIQUE INDEX ux_case_events_feed ON case_events (feed_commit);
