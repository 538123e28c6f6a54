-- The strategy count's update trigger of script 0041 runs only when an update can change a count (decision 0062): a
-- case closes or is closed, or moves to another region or opening time. A step completion of an open case (its step
-- and due date change) no longer runs the trigger's grouped insert, which added nothing.
DROP TRIGGER tr_cases_strategy_counts_update;

CREATE TRIGGER tr_cases_strategy_counts_update AFTER UPDATE OF region_code, opened_at, status, current_step, closed_at ON cases FOR EACH ROW
    WHEN OLD.status = 'closed' OR NEW.status = 'closed' OR OLD.region_code IS NOT NEW.region_code OR OLD.opened_at IS NOT NEW.opened_at
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
