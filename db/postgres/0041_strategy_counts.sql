-- The strategies per year at a million cases (decision 0059).
--   strategy_counts  the cases opened, completed and withdrawn per region and UTC day (of the opening, or of the
--                    close for the completed and withdrawn ones). The writes keep it like open_case_counts (decision
--                    0057): statement-level triggers on cases add delta rows (+n for cases entering a day's count,
--                    -n for cases leaving it; an update that changes no count adds nothing), so concurrent
--                    transactions never update a shared counter row; the read sums them by year, and the hourly job
--                    fold-open-case-counts folds them into one row per region and day.
--   A few thousand rows (regions times days) answer the page's region, country and period filters exactly; the
--   filters on S3 areas and on the brokers' organisation are still counted from cases.

CREATE TABLE strategy_counts (
    region_code     varchar(10)   NOT NULL,
    on_day          date          NOT NULL,
    opened          integer       NOT NULL,
    completed       integer       NOT NULL,
    withdrawn       integer       NOT NULL
);

CREATE FUNCTION strategy_count_rows(rows_sign integer, case_region varchar, case_opened_at timestamptz, case_status varchar, case_step varchar, case_closed_at timestamptz)
RETURNS TABLE (region_code varchar, on_day date, opened integer, completed integer, withdrawn integer) LANGUAGE sql IMMUTABLE AS $$
    SELECT case_region, (case_opened_at AT TIME ZONE 'UTC')::date, rows_sign, 0, 0
    UNION ALL
    SELECT case_region, (case_closed_at AT TIME ZONE 'UTC')::date, 0,
           CASE WHEN case_step = 'completed' THEN rows_sign ELSE 0 END, CASE WHEN case_step = 'withdrawn' THEN rows_sign ELSE 0 END
    WHERE case_status = 'closed' AND case_step IN ('completed', 'withdrawn') AND case_closed_at IS NOT NULL
$$;

INSERT INTO strategy_counts (region_code, on_day, opened, completed, withdrawn)
SELECT s.region_code, s.on_day, SUM(s.opened), SUM(s.completed), SUM(s.withdrawn)
FROM cases c CROSS JOIN LATERAL strategy_count_rows(1, c.region_code, c.opened_at, c.status, c.current_step, c.closed_at) s
GROUP BY s.region_code, s.on_day;

CREATE FUNCTION strategy_counts_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO strategy_counts (region_code, on_day, opened, completed, withdrawn)
        SELECT s.region_code, s.on_day, SUM(s.opened), SUM(s.completed), SUM(s.withdrawn)
        FROM new_rows c CROSS JOIN LATERAL strategy_count_rows(1, c.region_code, c.opened_at, c.status, c.current_step, c.closed_at) s
        GROUP BY s.region_code, s.on_day;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO strategy_counts (region_code, on_day, opened, completed, withdrawn)
        SELECT s.region_code, s.on_day, SUM(s.opened), SUM(s.completed), SUM(s.withdrawn)
        FROM old_rows c CROSS JOIN LATERAL strategy_count_rows(-1, c.region_code, c.opened_at, c.status, c.current_step, c.closed_at) s
        GROUP BY s.region_code, s.on_day;
    ELSE
        INSERT INTO strategy_counts (region_code, on_day, opened, completed, withdrawn)
        SELECT s.region_code, s.on_day, SUM(s.opened), SUM(s.completed), SUM(s.withdrawn)
        FROM (
            SELECT d.* FROM old_rows c CROSS JOIN LATERAL strategy_count_rows(-1, c.region_code, c.opened_at, c.status, c.current_step, c.closed_at) d
            UNION ALL
            SELECT d.* FROM new_rows c CROSS JOIN LATERAL strategy_count_rows(1, c.region_code, c.opened_at, c.status, c.current_step, c.closed_at) d
        ) s
        GROUP BY s.region_code, s.on_day
        HAVING SUM(s.opened) <> 0 OR SUM(s.completed) <> 0 OR SUM(s.withdrawn) <> 0;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER tr_cases_strategy_counts_insert AFTER INSERT ON cases REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION strategy_counts_changed();
CREATE TRIGGER tr_cases_strategy_counts_delete AFTER DELETE ON cases REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION strategy_counts_changed();
CREATE TRIGGER tr_cases_strategy_counts_update AFTER UPDATE ON cases REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION strategy_counts_changed();
