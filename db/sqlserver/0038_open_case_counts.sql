-- My work and the coordinator overview at a million cases (decision 0057).
--   open_case_counts  open (not closed) cases counted by the overview's grouping: region, definition version, step,
--                     status (active or on-hold) and the UTC day of the step's due date. One trigger on cases adds
--                     delta rows per statement (grouped from deleted and inserted; groups whose rows did not change
--                     add nothing), so concurrent transactions never update a shared counter row; the read sums them
--                     (GROUP BY), and a job folds them into one row per group now and then. Only today's overdue
--                     cases are read from cases (ix_cases_status_due). Bulk loads must fire it (FIRE_TRIGGERS).
--   My work reads the broker's regions and own cases in due-date order through ix_cases_region_status and
--   ix_cases_owner (now ending with the reference, the list's tie-break); the overview's lists read the overdue cases
--   through ix_cases_status_due and the cases at a coordinator's step through ix_cases_step_due.
--   ix_cases_open_counts (the counts read from an index) is replaced by the table.

CREATE TABLE open_case_counts (
    region_code             nvarchar(10)       NOT NULL,
    definition_version_id   uniqueidentifier   NOT NULL,
    current_step            nvarchar(100)      NOT NULL,
    status                  nvarchar(20)       NOT NULL,
    due_on                  date               NULL,
    cases                   int                NOT NULL
);

INSERT INTO open_case_counts (region_code, definition_version_id, current_step, status, due_on, cases)
SELECT region_code, definition_version_id, current_step, status, CAST(SWITCHOFFSET(step_due_at, '+00:00') AS date), COUNT(*)
FROM cases WHERE status <> 'closed'
GROUP BY region_code, definition_version_id, current_step, status, CAST(SWITCHOFFSET(step_due_at, '+00:00') AS date);
GO
CREATE TRIGGER tr_cases_counts ON cases AFTER INSERT, UPDATE, DELETE
AS
BEGIN
    SET NOCOUNT ON;
    INSERT INTO open_case_counts (region_code, definition_version_id, current_step, status, due_on, cases)
    SELECT region_code, definition_version_id, current_step, status, due_on, SUM(n)
    FROM (
        SELECT region_code, definition_version_id, current_step, status, CAST(SWITCHOFFSET(step_due_at, '+00:00') AS date) AS due_on, -1 AS n
        FROM deleted WHERE status <> 'closed'
        UNION ALL
        SELECT region_code, definition_version_id, current_step, status, CAST(SWITCHOFFSET(step_due_at, '+00:00') AS date), 1
        FROM inserted WHERE status <> 'closed'
    ) d
    GROUP BY region_code, definition_version_id, current_step, status, due_on
    HAVING SUM(n) <> 0;
END;
GO
DROP INDEX ix_cases_open_counts ON cases;
DROP INDEX ix_cases_region_status ON cases;
DROP INDEX ix_cases_owner ON cases;
CREATE INDEX ix_cases_region_status ON cases (region_code, status, step_due_at, reference);
CREATE INDEX ix_cases_owner ON cases (owner_user_id, status, step_due_at, reference);
CREATE INDEX ix_cases_status_due ON cases (status, step_due_at, reference);
CREATE INDEX ix_cases_step_due ON cases (current_step, status, step_due_at, reference);
