-- The overview's escalated cases at a million cases (decision 0057, "The escalated cases kept on the case").
--   cases.open_escalations  the number of sent escalations (reminders of kind 'escalation', status 'sent') whose step
--                           record is still open (completed_at NULL). A case is escalated while it is above zero.
--                           Triggers on reminders (an escalation sent, withdrawn, deleted, moved to another step) and on
--                           case_steps (a step completed or reopened) add the change to the row of the case.
--   ix_cases_escalated      the escalated cases alone (a filtered index) with what the overview groups and sorts them by.
--   The script counts the escalations sent before it.

ALTER TABLE cases ADD open_escalations int NOT NULL CONSTRAINT df_cases_open_escalations DEFAULT 0;
GO
UPDATE c SET open_escalations = e.n
FROM cases c
JOIN (SELECT r.case_id, COUNT(*) AS n
      FROM reminders r JOIN case_steps s ON s.id = r.case_step_id
      WHERE r.kind = 'escalation' AND r.status = 'sent' AND r.case_id IS NOT NULL AND s.completed_at IS NULL
      GROUP BY r.case_id) e ON e.case_id = c.id;

CREATE INDEX ix_cases_escalated ON cases (status, step_due_at, reference)
    INCLUDE (id, region_code, definition_version_id, current_step) WHERE open_escalations > 0;
GO
CREATE TRIGGER tr_reminders_escalations ON reminders AFTER INSERT, UPDATE, DELETE
AS
BEGIN
    SET NOCOUNT ON;
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
-- A step completed (-1 for each of its sent escalations) or reopened (+1).
CREATE TRIGGER tr_case_steps_escalations ON case_steps AFTER UPDATE
AS
BEGIN
    SET NOCOUNT ON;
    IF NOT UPDATE(completed_at) RETURN;
    UPDATE c SET open_escalations = c.open_escalations + d.n
    FROM cases c
    JOIN (SELECT r.case_id, SUM(CASE WHEN i.completed_at IS NULL THEN 1 ELSE -1 END) AS n
          FROM inserted i
          JOIN deleted o ON o.id = i.id
          JOIN reminders r ON r.case_step_id = i.id
          WHERE (CASE WHEN i.completed_at IS NULL THEN 1 ELSE 0 END) <> (CASE WHEN o.completed_at IS NULL THEN 1 ELSE 0 END)
            AND r.kind = 'escalation' AND r.status = 'sent'
          GROUP BY r.case_id) d ON d.case_id = c.id;
END;
