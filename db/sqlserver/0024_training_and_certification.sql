-- Training and certification of brokers (decision 0039).
--   training_modules      the catalogue coordinators keep: title, description, validity in months (NULL: never
--                         expires), whether it is required for certification, active or archived; version counts edits.
--   training_completions  a broker's completion of a module: the date, the trainer, the certificate file (stored like
--                         a case attachment, under the broker's id) and the expiry (date + validity; NULL: never).
--   reminders             a reminder may belong to a user rather than a case: case_id becomes NULL-able (its index is
--                         dropped and made again around the change), subject_kind says what it is about ('case', or
--                         'training' for an expiry notice) and subject_id names the completion.

CREATE TABLE training_modules (
    id                          uniqueidentifier NOT NULL PRIMARY KEY,
    title                       nvarchar(200) NOT NULL,
    description                 nvarchar(4000) NOT NULL,
    validity_months             int NULL,
    required_for_certification  bit NOT NULL DEFAULT 0,
    is_active                   bit NOT NULL DEFAULT 1,
    version                     int NOT NULL DEFAULT 1,
    created_at                  datetimeoffset(7) NOT NULL,
    updated_at                  datetimeoffset(7) NOT NULL,
    CONSTRAINT uq_training_modules_title UNIQUE (title)
);

CREATE TABLE training_completions (
    id                          uniqueidentifier NOT NULL PRIMARY KEY,
    user_id                     uniqueidentifier NOT NULL REFERENCES users (id),
    module_id                   uniqueidentifier NOT NULL REFERENCES training_modules (id),
    completed_on                datetimeoffset(7) NOT NULL,
    expires_on                  datetimeoffset(7) NULL,
    trainer                     nvarchar(200) NOT NULL,
    certificate_file_name       nvarchar(260) NULL,
    certificate_content_type    nvarchar(100) NULL,
    certificate_size            bigint NULL,
    certificate_sha256          nvarchar(64) NULL,
    certificate_storage_key     nvarchar(300) NULL,
    recorded_by                 uniqueidentifier NULL,
    recorded_at                 datetimeoffset(7) NOT NULL
);
CREATE INDEX ix_training_completions_user ON training_completions (user_id, module_id);

DROP INDEX ix_reminders_case ON reminders;
ALTER TABLE reminders ALTER COLUMN case_id uniqueidentifier NULL;
CREATE INDEX ix_reminders_case ON reminders (case_id, status);
ALTER TABLE reminders ADD subject_kind nvarchar(20) NOT NULL CONSTRAINT df_reminders_subject_kind DEFAULT 'case';
ALTER TABLE reminders ADD subject_id uniqueidentifier NULL;
GO
CREATE INDEX ix_reminders_subject ON reminders (subject_kind, subject_id, status);
GO
