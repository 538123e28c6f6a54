-- Broker workspace: notes, attachments (files are stored outside the database and the web root; the row keeps
-- their SHA-256 so the audit trail can prove them), and messages between the brokers of a case.

CREATE TABLE case_notes (
    id              TEXT          NOT NULL PRIMARY KEY,
    case_id         TEXT          NOT NULL REFERENCES cases (id),
    author_user_id  TEXT          NOT NULL REFERENCES users (id),
    body            TEXT          NOT NULL,
    created_at      TEXT          NOT NULL
);
CREATE INDEX ix_case_notes_case ON case_notes (case_id, created_at);

CREATE TABLE case_attachments (
    id              TEXT          NOT NULL PRIMARY KEY,
    case_id         TEXT          NOT NULL REFERENCES cases (id),
    step_key        TEXT  NULL,
    field_key       TEXT  NULL,
    file_name       TEXT  NOT NULL,
    content_type    TEXT  NOT NULL,
    size_bytes      INTEGER        NOT NULL,
    sha256          TEXT      NOT NULL,
    storage_key     TEXT  NOT NULL,
    uploaded_by     TEXT          NULL REFERENCES users (id),
    uploaded_at     TEXT          NOT NULL
);
CREATE INDEX ix_case_attachments_case ON case_attachments (case_id, uploaded_at);

CREATE TABLE case_messages (
    id              TEXT          NOT NULL PRIMARY KEY,
    case_id         TEXT          NOT NULL REFERENCES cases (id),
    participant_id  TEXT          NULL REFERENCES case_participants (id),
    author_user_id  TEXT          NOT NULL REFERENCES users (id),
    body            TEXT          NOT NULL,
    created_at      TEXT          NOT NULL
);
CREATE INDEX ix_case_messages_case ON case_messages (case_id, created_at);

CREATE INDEX ix_case_participants_company ON case_participants (company_id);
CREATE INDEX ix_companies_country ON companies (country_code, name, id);
