-- My work and the coordinator overview at a million cases (decision 0057).
--   open_case_counts  open (not closed) cases counted by the overview's grouping: region, definition version, step,
--                     status (active or on-hold) and the UTC day of the step's due date (the first ten characters of
--                     the stored UTC timestamp). Triggers on cases add delta rows (+1 for a row entering a group, -1
--                     for a row leaving it); the read sums them (GROUP BY), and a job folds them into one row per group
--                     now and then. Only today's overdue cases are read from cases (ix_cases_status_due).
--   My work reads the broker's regions and own cases in due-date order through ix_cases_region_status and
--   ix_cases_owner (now ending with the reference, the list's tie-break); the overview's lists read the overdue cases
--   through ix_cases_status_due and the cases at a coordinator's step through ix_cases_step_due.
--   ix_cases_open_counts (the counts read from an index) is replaced by the table.

CREATE TABLE open_case_counts (
    region_code             TEXT          NOT NULL,
    definition_version_id   TEXT          NOT NULL,
    current_step            TEXT          NOT NULL,
    status                  TEXT          NOT NULL,
    due_on                  TEXT          NULL,
    cases                   INTEGER       NOT NULL
);

INSERT INTO open_case_counts (region_code, definition_version_id, current_step, status, due_on, cases)
SELECT region_code, definition_version_id, current_step, status, substr(step_due_at, 1, 10), COUNT(*)
FROM cases WHERE status <> 'closed'
GROUP BY region_code, definition_version_id, current_step, status, substr(step_due_at, 1, 10);

CREATE TRIGGER tr_cases_counts_insert AFTER INSERT ON cases FOR EACH ROW WHEN NEW.status <> 'closed'
BEGIN
    INSERT INTO open_case_counts (region_code, definition_version_id, current_step, status, due_on, cases)
    VALUES (NEW.region_code, NEW.definition_version_id, NEW.current_step, NEW.status, substr(NEW.step_due_at, 1, 10), 1);
END;

CREATE TRIGGER tr_cases_counts_delete AFTER DELETE ON cases FOR EACH ROW WHEN OLD.status <> 'closed'
BEGIN
    INSERT INTO open_case_counts (region_code, definition_version_id, current_step, status, due_on, cases)
    VALUES (OLD.region_code, OLD.definition_version_id, OLD.current_step, OLD.status, substr(OLD.step_due_at, 1, 10), -1);
END;

CREATE TRIGGER tr_cases_counts_update AFTER UPDATE OF region_code, definition_version_id, current_step, status, step_due_at ON cases FOR EACH ROW
    WHEN OLD.region_code IS NOT NEW.region_code OR OLD.definition_version_id IS NOT NEW.definition_version_id
      OR OLD.current_step IS NOT NEW.current_step OR OLD.status IS NOT NEW.status
      OR substr(OLD.step_due_at, 1, 10) IS NOT substr(NEW.step_due_at, 1, 10)
BEGIN
    INSERT INTO open_case_counts (region_code, definition_version_id, current_step, status, due_on, cases)
    SELECT OLD.region_code, OLD.definition_version_id, OLD.current_step, OLD.status, substr(OLD.step_due_at, 1, 10), -1
    WHERE OLD.status <> 'closed';
    INSERT INTO open_case_counts (region_code, definition_version_id, current_step, status, due_on, cases)
    SELECT NEW.region_code, NEW.definition_version_id, NEW.current_step, NEW.status, substr(NEW.step_due_at, 1, 10), 1
    WHERE NEW.status <> 'closed';
END;

DROP INDEX ix_cases_open_counts;
DROP INDEX ix_cases_region_status;
DROP INDEX ix_cases_owner;
CREATE INDEX ix_cases_region_status ON cases (region_code, status, step_due_at, reference);
CREATE INDEX ix_cases_owner ON cases (owner_user_id, status, step_due_at, reference);
CREATE INDEX ix_cases_status_due ON cases (status, step_due_at, reference);
CREATE INDEX ix_cases_step_due ON cases (current_step, status, step_due_at, reference);
