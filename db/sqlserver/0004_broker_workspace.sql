-- Broker workspace: notes, attachments (files are stored outside the database and the web root; the row keeps
-- their SHA-256 so the audit trail can prove them), and messages between the brokers of a case.

CREATE TABLE case_notes (
    id              uniqueidentifier           NOT NULL PRIMARY KEY,
    case_id         uniqueidentifier           NOT NULL REFERENCES cases (id),
    author_user_id  uniqueidentifier           NOT NULL REFERENCES users (id),
    body            nvarchar(max)          NOT NULL,
    created_at      datetimeoffset(7)   NOT NULL
);
CREATE INDEX ix_case_notes_case ON case_notes (case_id, created_at);

CREATE TABLE case_attachments (
    id              uniqueidentifier           NOT NULL PRIMARY KEY,
    case_id         uniqueidentifier           NOT NULL REFERENCES cases (id),
    step_key        nvarchar(100)  NULL,
    field_key       nvarchar(100)  NULL,
    file_name       nvarchar(255)  NOT NULL,
    content_type    nvarchar(100)  NOT NULL,
    size_bytes      bigint        NOT NULL,
    sha256          char(64)      NOT NULL,
    storage_key     nvarchar(300)  NOT NULL,
    uploaded_by     uniqueidentifier           NULL REFERENCES users (id),
    uploaded_at     datetimeoffset(7)   NOT NULL
);
CREATE INDEX ix_case_attachments_case ON case_attachments (case_id, uploaded_at);

CREATE TABLE case_messages (
    id              uniqueidentifier           NOT NULL PRIMARY KEY,
    case_id         uniqueidentifier           NOT NULL REFERENCES cases (id),
    participant_id  uniqueidentifier           NULL REFERENCES case_participants (id),
    author_user_id  uniqueidentifier           NOT NULL REFERENCES users (id),
    body            nvarchar(max)          NOT NULL,
    created_at      datetimeoffset(7)   NOT NULL
);
CREATE INDEX ix_case_messages_case ON case_messages (case_id, created_at);

CREATE INDEX ix_case_participants_company ON case_participants (company_id);
CREATE INDEX ix_companies_country ON companies (country_code, name, id);
