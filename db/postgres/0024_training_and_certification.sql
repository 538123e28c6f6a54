-- Training and certification of brokers (decision 0039).
--   training_modules      the catalogue coordinators keep: title, description, validity in months (NULL: never
--                         expires), whether it is required for certification, active or archived; version counts edits.
--   training_completions  a broker's completion of a module: the date, the trainer, the certificate file (stored like
--                         a case attachment, under the broker's id) and the expiry (date + validity; NULL: never).
--   reminders             a reminder may belong to a user rather than a case: case_id becomes NULL-able, subject_kind
--                         says what it is about ('case', or 'training' for an expiry notice) and subject_id names the
--                         completion.

CREATE TABLE training_modules (
    id                          uuid NOT NULL PRIMARY KEY,
    title                       varchar(200) NOT NULL,
    description                 varchar(4000) NOT NULL,
    validity_months             integer NULL,
    required_for_certification  boolean NOT NULL DEFAULT false,
    is_active                   boolean NOT NULL DEFAULT true,
    version                     integer NOT NULL DEFAULT 1,
    created_at                  timestamptz NOT NULL,
    updated_at                  timestamptz NOT NULL,
    CONSTRAINT uq_training_modules_title UNIQUE (title)
);

CREATE TABLE training_completions (
    id                          uuid NOT NULL PRIMARY KEY,
    user_id                     uuid NOT NULL REFERENCES users (id),
    module_id                   uuid NOT NULL REFERENCES training_modules (id),
    completed_on                timestamptz NOT NULL,
    expires_on                  timestamptz NULL,
    trainer                     varchar(200) NOT NULL,
    certificate_file_name       varchar(260) NULL,
    certificate_content_type    varchar(100) NULL,
    certificate_size            bigint NULL,
    certificate_sha256          varchar(64) NULL,
    certificate_storage_key     varchar(300) NULL,
    recorded_by                 uuid NULL,
    recorded_at                 timestamptz NOT NULL
);
CREATE INDEX ix_training_completions_user ON training_completions (user_id, module_id);

ALTER TABLE reminders ALTER COLUMN case_id DROP NOT NULL;
ALTER TABLE reminders ADD COLUMN subject_kind varchar(20) NOT NULL DEFAULT 'case';
ALTER TABLE reminders ADD COLUMN subject_id uuid NULL;
CREATE INDEX ix_reminders_subject ON reminders (subject_kind, subject_id, status);
