-- The overview's escalated cases at a million cases (decision 0057, "The escalated cases kept on the case").
--   cases.open_escalations  the number of sent escalations (reminders of kind 'escalation', status 'sent') whose step
--                           record is still open (completed_at NULL). A case is escalated while it is above zero. Row
--                           triggers on reminders (an escalation sent, withdrawn, deleted, moved to another step) and on
--                           case_steps (a step completed or reopened) add the change to the row of the case.
--   ix_cases_escalated      the escalated cases alone (a partial index) with what the overview groups and sorts them by.
--   The script counts the escalations sent before it.

ALTER TABLE cases ADD COLUMN open_escalations INTEGER NOT NULL DEFAULT 0;

UPDATE cases SET open_escalations = (
    SELECT COUNT(*) FROM reminders r JOIN case_steps s ON s.id = r.case_step_id
    WHERE r.case_id = cases.id AND r.kind = 'escalation' AND r.status = 'sent' AND s.completed_at IS NULL)
WHERE id IN (SELECT r.case_id FROM reminders r WHERE r.kind = 'escalation' AND r.status = 'sent');

CREATE INDEX ix_cases_escalated ON cases (status, step_due_at, reference, region_code, definition_version_id, current_step, id)
    WHERE open_escalations > 0;

CREATE TRIGGER tr_reminders_escalations_insert AFTER INSERT ON reminders FOR EACH ROW
    WHEN NEW.kind = 'escalation' AND NEW.status = 'sent'
BEGIN
    UPDATE cases SET open_escalations = open_escalations + 1
    WHERE id = NEW.case_id AND EXISTS (SELECT 1 FROM case_steps s WHERE s.id = NEW.case_step_id AND s.completed_at IS NULL);
END;

CREATE TRIGGER tr_reminders_escalations_delete AFTER DELETE ON reminders FOR EACH ROW
    WHEN OLD.kind = 'escalation' AND OLD.status = 'sent'
BEGIN
    UPDATE cases SET open_escalations = open_escalations - 1
    WHERE id = OLD.case_id AND EXISTS (SELECT 1 FROM case_steps s WHERE s.id = OLD.case_step_id AND s.completed_at IS NULL);
END;

CREATE TRIGGER tr_reminders_escalations_update AFTER UPDATE OF case_id, case_step_id, kind, status ON reminders FOR EACH ROW
    WHEN (OLD.kind = 'escalation' AND OLD.status = 'sent') OR (NEW.kind = 'escalation' AND NEW.status = 'sent')
BEGIN
    UPDATE cases SET open_escalations = open_escalations - 1
    WHERE OLD.kind = 'escalation' AND OLD.status = 'sent' AND id = OLD.case_id
      AND EXISTS (SELECT 1 FROM case_steps s WHERE s.id = OLD.case_step_id AND s.completed_at IS NULL);
    UPDATE cases SET open_escalations = open_escalations + 1
    WHERE NEW.kind = 'escalation' AND NEW.status = 'sent' AND id = NEW.case_id
      AND EXISTS (SELECT 1 FROM case_steps s WHERE s.id = NEW.case_step_id AND s.completed_at IS NULL);
END;

-- A step completed (-1 for each of its sent escalations) or reopened (+1).
CREATE TRIGGER tr_case_steps_escalations_update AFTER UPDATE OF completed_at ON case_steps FOR EACH ROW
    WHEN (OLD.completed_at IS NULL) <> (NEW.completed_at IS NULL)
BEGIN
    UPDATE cases SET open_escalations = open_escalations + (CASE WHEN NEW.completed_at IS NULL THEN 1 ELSE -1 END) * (
        SELECT COUNT(*) FROM reminders r
        WHERE r.case_step_id = NEW.id AND r.case_id = cases.id AND r.kind = 'escalation' AND r.status = 'sent')
    WHERE id IN (SELECT r.case_id FROM reminders r WHERE r.case_step_id = NEW.id AND r.kind = 'escalation' AND r.status = 'sent');
END;
