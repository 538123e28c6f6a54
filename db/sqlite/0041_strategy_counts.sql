-- The strategies per year at a million cases (decision 0059).
--   strategy_counts  the cases opened, completed and withdrawn per region and UTC day (the first ten characters of
--                    the stored UTC timestamp of the opening, or of the close for the completed and withdrawn ones).
--                    Triggers on cases add delta rows (+1 for a case entering a day's count, -1 for a case leaving
--                    it; an update that changes no count adds nothing); the read sums them by year, and the hourly
--                    job fold-open-case-counts folds them into one row per region and day.
--   The filters on S3 areas and on the brokers' organisation are still counted from cases.

CREATE TABLE strategy_counts (
    region_code     TEXT          NOT NULL,
    on_day          TEXT          NOT NULL,
    opened          INTEGER       NOT NULL,
    completed       INTEGER       NOT NULL,
    withdrawn       INTEGER       NOT NULL
);

INSERT INTO strategy_counts (region_code, on_day, opened, completed, withdrawn)
SELECT region_code, on_day, SUM(opened), SUM(completed), SUM(withdrawn)
FROM (
    SELECT region_code, substr(opened_at, 1, 10) AS on_day, 1 AS opened, 0 AS completed, 0 AS withdrawn FROM cases
    UNION ALL
    SELECT region_code, substr(closed_at, 1, 10), 0, current_step = 'completed', current_step = 'withdrawn' FROM cases
    WHERE status = 'closed' AND current_step IN ('completed', 'withdrawn') AND closed_at IS NOT NULL
) d
GROUP BY region_code, on_day;

CREATE TRIGGER tr_cases_strategy_counts_insert AFTER INSERT ON cases FOR EACH ROW
BEGIN
    INSERT INTO strategy_counts (region_code, on_day, opened, completed, withdrawn)
    SELECT NEW.region_code, substr(NEW.opened_at, 1, 10), 1, 0, 0
    UNION ALL
    SELECT NEW.region_code, substr(NEW.closed_at, 1, 10), 0, NEW.current_step = 'completed', NEW.current_step = 'withdrawn'
    WHERE NEW.status = 'closed' AND NEW.current_step IN ('completed', 'withdrawn') AND NEW.closed_at IS NOT NULL;
END;

CREATE TRIGGER tr_cases_strategy_counts_delete AFTER DELETE ON cases FOR EACH ROW
BEGIN
    INSERT INTO strategy_counts (region_code, on_day, opened, completed, withdrawn)
    SELECT OLD.region_code, substr(OLD.opened_at, 1, 10), -1, 0, 0
    UNION ALL
    SELECT OLD.region_code, substr(OLD.closed_at, 1, 10), 0, -(OLD.current_step = 'completed'), -(OLD.current_step = 'withdrawn')
    WHERE OLD.status = 'closed' AND OLD.current_step IN ('completed', 'withdrawn') AND OLD.closed_at IS NOT NULL;
END;

CREATE TRIGGER tr_cases_strategy_counts_update AFTER UPDATE OF region_code, opened_at, status, current_step, closed_at ON cases FOR EACH ROW
BEGIN
    INSERT INTO strategy_counts (region_code, on_day, opened, completed, withdrawn)
    SELECT region_code, on_day, SUM(opened), SUM(completed), SUM(withdrawn)
    FROM (
        SELECT OLD.region_code AS region_code, substr(OLD.opened_at, 1, 10) AS on_day, -1 AS opened, 0 AS completed, 0 AS withdrawn
        UNION ALL
        SELECT OLD.region_code, substr(OLD.closed_at, 1, 10), 0, -(OLD.current_step = 'completed'), -(OLD.current_step = 'withdrawn')
        WHERE OLD.status = 'closed' AND OLD.current_step IN ('completed', 'withdrawn') AND OLD.closed_at IS NOT NULL
        UNION ALL
        SELECT NEW.region_code, substr(NEW.opened_at, 1, 10), 1, 0, 0
        UNION ALL
        SELECT NEW.region_code, substr(NEW.closed_at, 1, 10), 0, NEW.current_step = 'completed', NEW.current_step = 'withdrawn'
        WHERE NEW.status = 'closed' AND NEW.current_step IN ('completed', 'withdrawn') AND NEW.closed_at IS NOT NULL
    ) d
    GROUP BY region_code, on_day
    HAVING SUM(opened) <> 0 OR SUM(completed) <> 0 OR SUM(withdrawn) <> 0;
END;
