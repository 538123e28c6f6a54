-- The strategies per year at a million cases (decision 0059).
--   strategy_counts  the cases opened, completed and withdrawn per region and UTC day (of the opening, or of the
--                    close for the completed and withdrawn ones). One trigger on cases adds delta rows per statement
--                    (grouped from deleted and inserted; days whose counts did not change add nothing), so
--                    concurrent transactions never update a shared counter row; the read sums them by year, and the
--                    hourly job fold-open-case-counts folds them into one row per region and day. Bulk loads must
--                    fire it (FIRE_TRIGGERS).
--   The filters on S3 areas and on the brokers' organisation are still counted from cases.

CREATE TABLE strategy_counts (
    region_code     nvarchar(10)   NOT NULL,
    on_day          date           NOT NULL,
    opened          int            NOT NULL,
    completed       int            NOT NULL,
    withdrawn       int            NOT NULL
);

INSERT INTO strategy_counts (region_code, on_day, opened, completed, withdrawn)
SELECT region_code, on_day, SUM(opened), SUM(completed), SUM(withdrawn)
FROM (
    SELECT region_code, CAST(SWITCHOFFSET(opened_at, '+00:00') AS date) AS on_day, 1 AS opened, 0 AS completed, 0 AS withdrawn FROM cases
    UNION ALL
    SELECT region_code, CAST(SWITCHOFFSET(closed_at, '+00:00') AS date), 0,
           CASE WHEN current_step = 'completed' THEN 1 ELSE 0 END, CASE WHEN current_step = 'withdrawn' THEN 1 ELSE 0 END
    FROM cases WHERE status = 'closed' AND current_step IN ('completed', 'withdrawn') AND closed_at IS NOT NULL
) d
GROUP BY region_code, on_day;
GO
CREATE TRIGGER tr_cases_strategy_counts ON cases AFTER INSERT, UPDATE, DELETE
AS
BEGIN
    SET NOCOUNT ON;
    INSERT INTO strategy_counts (region_code, on_day, opened, completed, withdrawn)
    SELECT region_code, on_day, SUM(opened), SUM(completed), SUM(withdrawn)
    FROM (
        SELECT region_code, CAST(SWITCHOFFSET(opened_at, '+00:00') AS date) AS on_day, -1 AS opened, 0 AS completed, 0 AS withdrawn FROM deleted
        UNION ALL
        SELECT region_code, CAST(SWITCHOFFSET(closed_at, '+00:00') AS date), 0,
               CASE WHEN current_step = 'completed' THEN -1 ELSE 0 END, CASE WHEN current_step = 'withdrawn' THEN -1 ELSE 0 END
        FROM deleted WHERE status = 'closed' AND current_step IN ('completed', 'withdrawn') AND closed_at IS NOT NULL
        UNION ALL
        SELECT region_code, CAST(SWITCHOFFSET(opened_at, '+00:00') AS date), 1, 0, 0 FROM inserted
        UNION ALL
        SELECT region_code, CAST(SWITCHOFFSET(closed_at, '+00:00') AS date), 0,
               CASE WHEN current_step = 'completed' THEN 1 ELSE 0 END, CASE WHEN current_step = 'withdrawn' THEN 1 ELSE 0 END
        FROM inserted WHERE status = 'closed' AND current_step IN ('completed', 'withdrawn') AND closed_at IS NOT NULL
    ) d
    GROUP BY region_code, on_day
    HAVING SUM(opened) <> 0 OR SUM(completed) <> 0 OR SUM(withdrawn) <> 0;
END;
