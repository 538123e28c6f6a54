-- Training and certification of brokers (decision 0039).
--   training_modules      the catalogue coordinators keep: title, description, validity in months (NULL: never
--                         expires), whether it is required for certification, active or archived; version counts edits.
--   training_completions  a broker's completion of a module: the date, the trainer, the certificate file (stored like
--                         a case attachment, under the broker's id) and the expiry (date + validity; NULL: never).
--   reminders             a reminder may belong to a user rather than a case: case_id becomes NULL-able, subject_kind
--                         says what it is about ('case', or 'training' for an expiry notice) and subject_id names the
--                         completion. SQLite cannot drop NOT NULL, so the table is rebuilt.

CREATE TABLE training_modules (
    id                          TEXT NOT NULL PRIMARY KEY,
    title                       TEXT NOT NULL,
    description                 TEXT NOT NULL,
    validity_months             INTEGER NULL,
    required_for_certification  INTEGER NOT NULL DEFAULT 0,
    is_active                   INTEGER NOT NULL DEFAULT 1,
    version                     INTEGER NOT NULL DEFAULT 1,
    created_at                  TEXT NOT NULL,
    updated_at                  TEXT NOT NULL,
    CONSTRAINT uq_training_modules_title UNIQUE (title)
);

CREATE TABLE training_completions (
    id                          TEXT NOT NULL PRIMARY KEY,
    user_id                     TEXT NOT NULL REFERENCES users (id),
    module_id                   TEXT NOT NULL REFERENCES training_modules (id),
    completed_on                TEXT NOT NULL,
    expires_on                  TEXT NULL,
    trainer                     TEXT NOT NULL,
    certificate_file_name       TEXT NULL,
    certificate_content_type    TEXT NULL,
    certificate_size            INTEGER NULL,
    certificate_sha256          TEXT NULL,
    certificate_storage_key     TEXT NULL,
    recorded_by                 TEXT NULL,
    recorded_at                 TEXT NOT NULL
);
CREATE INDEX ix_training_completions_user ON training_completions (user_id, module_id);

CREATE TABLE reminders_0024 (
    id              TEXT          NOT NULL PRIMARY KEY,
    case_id         TEXT          NULL REFERENCES cases (id),
    case_step_id    TEXT          NULL REFERENCES case_steps (id),
    step_key        TEXT  NOT NULL,
    kind            TEXT   NOT NULL,
    recipient_role  TEXT   NOT NULL,
    due_at          TEXT          NOT NULL,
    status          TEXT   NOT NULL,
    claimed_by      TEXT  NULL,
    claimed_until   TEXT          NULL,
    attempts        INTEGER       NOT NULL DEFAULT 0,
    sent_at         TEXT          NULL,
    created_at      TEXT          NOT NULL,
    notice_key      TEXT NULL,
    description     TEXT NULL,
    last_error      TEXT NULL,
    case_track_id   TEXT NULL REFERENCES case_tracks (id),
    subject_kind    TEXT NOT NULL DEFAULT 'case',
    subject_id      TEXT NULL
);
INSERT INTO reminders_0024 (id, case_id, case_step_id, step_key, kind, recipient_role, due_at, status, claimed_by, claimed_until,
    attempts, sent_at, created_at, notice_key, description, last_error, case_track_id)
SELECT id, case_id, case_step_id, step_key, kind, recipient_role, due_at, status, claimed_by, claimed_until,
    attempts, sent_at, created_at, notice_key, description, last_error, case_track_id FROM reminders;

-- Foreign keys are on inside the migration's transaction: the notifications let go of their reminders while the old
-- table is dropped, and take them back from the new one.
CREATE TEMP TABLE notification_reminders_0024 (notification_id TEXT NOT NULL PRIMARY KEY, reminder_id TEXT NOT NULL);
INSERT INTO notification_reminders_0024 (notification_id, reminder_id) SELECT id, reminder_id FROM notifications WHERE reminder_id IS NOT NULL;
UPDATE notifications SET reminder_id = NULL WHERE reminder_id IS NOT NULL;
DROP TABLE reminders;
ALTER TABLE reminders_0024 RENAME TO reminders;
UPDATE notifications SET reminder_id = (SELECT t.reminder_id FROM notification_reminders_0024 t WHERE t.notification_id = notifications.id)
WHERE id IN (SELECT notification_id FROM notification_reminders_0024);
DROP TABLE notification_reminders_0024;

CREATE INDEX ix_reminders_due ON reminders (status, due_at);
CREATE INDEX ix_reminders_case ON reminders (case_id, status);
CREATE UNIQUE INDEX ux_reminders_step_notice ON reminders (case_step_id, notice_key) WHERE notice_key IS NOT NULL;
CREATE INDEX ix_reminders_claimed ON reminders (status, claimed_until);
CREATE INDEX ix_reminders_subject ON reminders (subject_kind, subject_id, status);
