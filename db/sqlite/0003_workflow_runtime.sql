-- Workflow runtime: each scheduled notice of a step has a key (reminder-1, due, escalation, check-in:quarterly:2)
-- so that it exists once per step record; follow-up check-ins are recorded per occurrence.

ALTER TABLE reminders ADD COLUMN notice_key TEXT NULL;
ALTER TABLE reminders ADD COLUMN description TEXT NULL;
CREATE UNIQUE INDEX ux_reminders_step_notice ON reminders (case_step_id, notice_key) WHERE notice_key IS NOT NULL;

CREATE TABLE case_check_ins (
    id              TEXT          NOT NULL PRIMARY KEY,
    case_id         TEXT          NOT NULL REFERENCES cases (id),
    case_step_id    TEXT          NOT NULL REFERENCES case_steps (id),
    check_in_key    TEXT  NOT NULL,
    occurrence      INTEGER       NOT NULL,
    due_at          TEXT          NOT NULL,
    recorded_at     TEXT          NOT NULL,
    recorded_by     TEXT          NULL REFERENCES users (id),
    form_data       TEXT          NOT NULL,
    CONSTRAINT uq_case_check_ins UNIQUE (case_step_id, check_in_key, occurrence)
);
CREATE INDEX ix_case_check_ins_case ON case_check_ins (case_id);
