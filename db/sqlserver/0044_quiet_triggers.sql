-- The counting triggers of scripts 0040 and 0041 leave early when a statement changes nothing they count
-- (decision 0062). A step completion cancels its step's reminders and writes the next step's: about five statements
-- on reminders, none of them about a sent escalation. The escalation trigger now first looks for a sent escalation
-- among the statement's rows, and the strategy count skips an update of open cases that sets none of the region, the
-- opening time, the status or the closing time.
ALTER TRIGGER tr_reminders_escalations ON reminders AFTER INSERT, UPDATE, DELETE
AS
BEGIN
    SET NOCOUNT ON;
    IF NOT EXISTS (SELECT 1 FROM inserted WHERE kind = 'escalation' AND status = 'sent')
        AND NOT EXISTS (SELECT 1 FROM deleted WHERE kind = 'escalation' AND status = 'sent')
        RETURN;
    UPDATE c SET open_escalations = c.open_escalations + d.n
    FROM cases c
    JOIN (SELECT r.case_id, SUM(r.n) AS n
          FROM (SELECT case_id, case_step_id, -1 AS n FROM deleted WHERE kind = 'escalation' AND status = 'sent'
                UNION ALL
                SELECT case_id, case_step_id, 1 FROM inserted WHERE kind = 'escalation' AND status = 'sent') r
          JOIN case_steps s ON s.id = r.case_step_id
          WHERE s.completed_at IS NULL
          GROUP BY r.case_id
          HAVING SUM(r.n) <> 0) d ON d.case_id = c.id;
END;
GO
-- An update that sets none of these columns leaves each case's status as it was: only a closed one can count.
ALTER TRIGGER tr_cases_strategy_counts ON cases AFTER INSERT, UPDATE, DELETE
AS
BEGIN
    SET NOCOUNT ON;
    IF EXISTS (SELECT 1 FROM deleted) AND EXISTS (SELECT 1 FROM inserted)
        AND NOT UPDATE(region_code) AND NOT UPDATE(opened_at) AND NOT UPDATE(status) AND NOT UPDATE(closed_at)
        AND NOT EXISTS (SELECT 1 FROM inserted WHERE status = 'closed')
        RETURN;
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
GO
