-- My work and the coordinator overview at a million cases (decision 0057).
--   open_case_counts  open (not closed) cases counted by the overview's grouping: region, definition version, step,
--                     status (active or on-hold) and the UTC day of the step's due date. The writes keep it: triggers
--                     on cases add delta rows (+n for rows entering a group, -n for rows leaving it), so concurrent
--                     transactions never update a shared counter row; the read sums them (GROUP BY), and a job folds
--                     them into one row per group now and then. The due day lets the overview count the cases overdue
--                     before today from the counts; only today's are read from cases (ix_cases_status_due).
--   Statement-level triggers with transition tables: one grouped insert per statement, also for COPY and
--   INSERT … SELECT of many rows; an update that changes none of the grouped columns adds nothing.
--   My work reads the broker's regions and own cases in due-date order through ix_cases_region_status and
--   ix_cases_owner (now ending with the reference, the list's tie-break); the overview's lists read the overdue cases
--   through ix_cases_status_due and the cases at a coordinator's step through ix_cases_step_due.
--   ix_cases_open_counts (the counts read from an index) is replaced by the table.

CREATE TABLE open_case_counts (
    region_code             varchar(10)   NOT NULL,
    definition_version_id   uuid          NOT NULL,
    current_step            varchar(100)  NOT NULL,
    status                  varchar(20)   NOT NULL,
    due_on                  date          NULL,
    cases                   integer       NOT NULL
);

INSERT INTO open_case_counts (region_code, definition_version_id, current_step, status, due_on, cases)
SELECT region_code, definition_version_id, current_step, status, (step_due_at AT TIME ZONE 'UTC')::date, COUNT(*)
FROM cases WHERE status <> 'closed'
GROUP BY region_code, definition_version_id, current_step, status, (step_due_at AT TIME ZONE 'UTC')::date;

CREATE FUNCTION open_case_counts_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO open_case_counts (region_code, definition_version_id, current_step, status, due_on, cases)
    SELECT region_code, definition_version_id, current_step, status, (step_due_at AT TIME ZONE 'UTC')::date, COUNT(*)
    FROM new_rows WHERE status <> 'closed'
    GROUP BY region_code, definition_version_id, current_step, status, (step_due_at AT TIME ZONE 'UTC')::date;
    RETURN NULL;
END $$;

CREATE FUNCTION open_case_counts_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO open_case_counts (region_code, definition_version_id, current_step, status, due_on, cases)
    SELECT region_code, definition_version_id, current_step, status, (step_due_at AT TIME ZONE 'UTC')::date, -COUNT(*)
    FROM old_rows WHERE status <> 'closed'
    GROUP BY region_code, definition_version_id, current_step, status, (step_due_at AT TIME ZONE 'UTC')::date;
    RETURN NULL;
END $$;

CREATE FUNCTION open_case_counts_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO open_case_counts (region_code, definition_version_id, current_step, status, due_on, cases)
    SELECT region_code, definition_version_id, current_step, status, due_on, SUM(n)
    FROM (
        SELECT region_code, definition_version_id, current_step, status, (step_due_at AT TIME ZONE 'UTC')::date AS due_on, -1 AS n
        FROM old_rows WHERE status <> 'closed'
        UNION ALL
        SELECT region_code, definition_version_id, current_step, status, (step_due_at AT TIME ZONE 'UTC')::date, 1
        FROM new_rows WHERE status <> 'closed'
    ) d
    GROUP BY region_code, definition_version_id, current_step, status, due_on
    HAVING SUM(n) <> 0;
    RETURN NULL;
END $$;

CREATE TRIGGER tr_cases_counts_insert AFTER INSERT ON cases REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION open_case_counts_inserted();
CREATE TRIGGER tr_cases_counts_delete AFTER DELETE ON cases REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION open_case_counts_deleted();
CREATE TRIGGER tr_cases_counts_update AFTER UPDATE ON cases REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION open_case_counts_updated();

DROP INDEX ix_cases_open_counts;
DROP INDEX ix_cases_region_status;
DROP INDEX ix_cases_owner;
CREATE INDEX ix_cases_region_status ON cases (region_code, status, step_due_at, reference);
CREATE INDEX ix_cases_owner ON cases (owner_user_id, status, step_due_at, reference);
CREATE INDEX ix_cases_status_due ON cases (status, step_due_at, reference);
CREATE INDEX ix_cases_step_due ON cases (current_step, status, step_due_at, reference);
