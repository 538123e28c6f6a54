-- The overview's escalated cases at a million cases (decision 0057, "The escalated cases kept on the case").
--   cases.open_escalations  the number of sent escalations (reminders of kind 'escalation', status 'sent') whose step
--                           record is still open (completed_at NULL). A case is escalated while it is above zero. The
--                           writes keep it: triggers on reminders (an escalation sent, withdrawn, deleted, moved to
--                           another step) and on case_steps (a step completed or reopened) add the change to the row of
--                           the case, which completing its step writes anyway.
--   ix_cases_escalated      the escalated cases alone (a partial index, about 1 % of the open cases) with what the
--                           overview groups and sorts them by: the counts and the list read it, not every escalation's
--                           step and case.
--   The script counts the escalations sent before it.

ALTER TABLE cases ADD COLUMN open_escalations integer NOT NULL DEFAULT 0;

UPDATE cases c SET open_escalations = e.n
FROM (SELECT r.case_id, COUNT(*) AS n
      FROM reminders r JOIN case_steps s ON s.id = r.case_step_id
      WHERE r.kind = 'escalation' AND r.status = 'sent' AND r.case_id IS NOT NULL AND s.completed_at IS NULL
      GROUP BY r.case_id) e
WHERE c.id = e.case_id;

CREATE INDEX ix_cases_escalated ON cases (status, step_due_at, reference)
    INCLUDE (id, region_code, definition_version_id, current_step) WHERE open_escalations > 0;

-- Each trigger locks the cases it may change (a step's own case, an escalation's case) before it reads: of an escalation
-- sent and its step completed at the same time, the second to lock the case reads the first one's committed write.
CREATE FUNCTION open_escalations_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM cases WHERE id IN (SELECT case_id FROM new_rows WHERE kind = 'escalation' AND status = 'sent') ORDER BY id FOR NO KEY UPDATE;
    UPDATE cases c SET open_escalations = c.open_escalations + d.n
    FROM (SELECT r.case_id, COUNT(*) AS n FROM new_rows r JOIN case_steps s ON s.id = r.case_step_id
          WHERE r.kind = 'escalation' AND r.status = 'sent' AND s.completed_at IS NULL GROUP BY r.case_id) d
    WHERE c.id = d.case_id;
    RETURN NULL;
END $$;

CREATE FUNCTION open_escalations_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM cases WHERE id IN (SELECT case_id FROM old_rows WHERE kind = 'escalation' AND status = 'sent') ORDER BY id FOR NO KEY UPDATE;
    UPDATE cases c SET open_escalations = c.open_escalations - d.n
    FROM (SELECT r.case_id, COUNT(*) AS n FROM old_rows r JOIN case_steps s ON s.id = r.case_step_id
          WHERE r.kind = 'escalation' AND r.status = 'sent' AND s.completed_at IS NULL GROUP BY r.case_id) d
    WHERE c.id = d.case_id;
    RETURN NULL;
END $$;

CREATE FUNCTION open_escalations_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM cases
    WHERE id IN (SELECT case_id FROM old_rows WHERE kind = 'escalation' AND status = 'sent'
                 UNION SELECT case_id FROM new_rows WHERE kind = 'escalation' AND status = 'sent')
    ORDER BY id FOR NO KEY UPDATE;
    UPDATE cases c SET open_escalations = c.open_escalations + d.n
    FROM (SELECT r.case_id, SUM(r.n) AS n
          FROM (SELECT case_id, case_step_id, -1 AS n FROM old_rows WHERE kind = 'escalation' AND status = 'sent'
                UNION ALL
                SELECT case_id, case_step_id, 1 FROM new_rows WHERE kind = 'escalation' AND status = 'sent') r
          JOIN case_steps s ON s.id = r.case_step_id
          WHERE s.completed_at IS NULL
          GROUP BY r.case_id
          HAVING SUM(r.n) <> 0) d
    WHERE c.id = d.case_id;
    RETURN NULL;
END $$;

-- A step completed (-1 for each of its sent escalations) or reopened (+1).
CREATE FUNCTION open_escalations_steps() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM cases
    WHERE id IN (SELECT n.case_id FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE (n.completed_at IS NULL) <> (o.completed_at IS NULL))
    ORDER BY id FOR NO KEY UPDATE;
    UPDATE cases c SET open_escalations = c.open_escalations + d.n
    FROM (SELECT r.case_id, SUM(CASE WHEN n.completed_at IS NULL THEN 1 ELSE -1 END) AS n
          FROM new_rows n JOIN old_rows o ON o.id = n.id JOIN reminders r ON r.case_step_id = n.id
          WHERE (n.completed_at IS NULL) <> (o.completed_at IS NULL) AND r.kind = 'escalation' AND r.status = 'sent'
          GROUP BY r.case_id) d
    WHERE c.id = d.case_id;
    RETURN NULL;
END $$;

CREATE TRIGGER tr_reminders_escalations_insert AFTER INSERT ON reminders REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION open_escalations_inserted();
CREATE TRIGGER tr_reminders_escalations_delete AFTER DELETE ON reminders REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION open_escalations_deleted();
CREATE TRIGGER tr_reminders_escalations_update AFTER UPDATE ON reminders REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION open_escalations_updated();
CREATE TRIGGER tr_case_steps_escalations_update AFTER UPDATE ON case_steps REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION open_escalations_steps();
