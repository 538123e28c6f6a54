-- TIBS.Cases initial schema (SQLite). Published scripts never change: add a new numbered script instead.

CREATE TABLE regions (
    code            TEXT  NOT NULL PRIMARY KEY,
    name            TEXT NOT NULL,
    country_code    TEXT      NOT NULL,
    nuts_level      INTEGER     NOT NULL,
    kind            TEXT  NOT NULL,
    sort_order      INTEGER      NOT NULL
);

CREATE TABLE nace_sections (
    code            TEXT      NOT NULL PRIMARY KEY,
    name            TEXT NOT NULL
);

CREATE TABLE s3_areas (
    code            TEXT  NOT NULL PRIMARY KEY,
    name            TEXT NOT NULL,
    sort_order      INTEGER      NOT NULL
);

CREATE TABLE users (
    id                      TEXT         NOT NULL PRIMARY KEY,
    email                   TEXT NOT NULL,
    display_name            TEXT NOT NULL,
    role                    TEXT  NOT NULL,
    region_code             TEXT  NULL REFERENCES regions (code),
    password_hash           TEXT NOT NULL,
    security_stamp          TEXT  NOT NULL,
    failed_sign_in_count    INTEGER      NOT NULL DEFAULT 0,
    lockout_end             TEXT         NULL,
    is_active               INTEGER      NOT NULL DEFAULT 1,
    created_at              TEXT         NOT NULL,
    updated_at              TEXT         NOT NULL,
    CONSTRAINT uq_users_email UNIQUE (email)
);

CREATE TABLE companies (
    id              TEXT          NOT NULL PRIMARY KEY,
    name            TEXT  NOT NULL,
    country_code    TEXT       NOT NULL,
    region_code     TEXT   NOT NULL REFERENCES regions (code),
    size_class      TEXT   NOT NULL,
    year_founded    INTEGER       NULL,
    website         TEXT  NULL,
    offers          TEXT          NULL,
    needs           TEXT          NULL,
    keywords        TEXT          NULL,
    languages       TEXT  NULL,
    created_by      TEXT          NULL REFERENCES users (id),
    created_at      TEXT          NOT NULL,
    updated_at      TEXT          NOT NULL,
    version         INTEGER       NOT NULL DEFAULT 1
);
CREATE INDEX ix_companies_region ON companies (region_code, name, id);

CREATE TABLE company_contacts (
    id              TEXT          NOT NULL PRIMARY KEY,
    company_id      TEXT          NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
    name            TEXT  NOT NULL,
    role            TEXT  NULL,
    email           TEXT  NULL,
    phone           TEXT   NULL,
    consent_date    TEXT          NULL,
    consent_purpose TEXT  NULL
);
CREATE INDEX ix_company_contacts_company ON company_contacts (company_id);

CREATE TABLE company_nace_codes (
    company_id      TEXT          NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
    nace_code       TEXT   NOT NULL,
    PRIMARY KEY (company_id, nace_code)
);

CREATE TABLE company_s3_areas (
    company_id      TEXT          NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
    s3_code         TEXT   NOT NULL REFERENCES s3_areas (code),
    PRIMARY KEY (company_id, s3_code)
);

CREATE TABLE workflow_definitions (
    id                      TEXT         NOT NULL PRIMARY KEY,
    definition_key          TEXT NOT NULL,
    name                    TEXT NOT NULL,
    published_version_id    TEXT         NULL,
    created_at              TEXT         NOT NULL,
    row_version             INTEGER      NOT NULL DEFAULT 1,
    CONSTRAINT uq_workflow_definitions_key UNIQUE (definition_key)
);

CREATE TABLE workflow_versions (
    id              TEXT         NOT NULL PRIMARY KEY,
    definition_id   TEXT         NOT NULL REFERENCES workflow_definitions (id),
    number          INTEGER      NOT NULL,
    status          TEXT  NOT NULL,
    content         TEXT         NOT NULL,
    content_hash    TEXT     NOT NULL,
    source          TEXT  NOT NULL,
    created_by      TEXT         NULL REFERENCES users (id),
    created_at      TEXT         NOT NULL,
    published_by    TEXT         NULL REFERENCES users (id),
    published_at    TEXT         NULL,
    row_version     INTEGER      NOT NULL DEFAULT 1,
    CONSTRAINT uq_workflow_versions_number UNIQUE (definition_id, number)
);
-- At most one draft per definition.
CREATE UNIQUE INDEX ux_workflow_versions_one_draft ON workflow_versions (definition_id) WHERE status = 'draft';

CREATE TABLE case_sequences (
    region_code     TEXT  NOT NULL,
    year            INTEGER      NOT NULL,
    last_value      INTEGER      NOT NULL,
    PRIMARY KEY (region_code, year)
);

CREATE TABLE cases (
    id                      TEXT          NOT NULL PRIMARY KEY,
    reference               TEXT   NOT NULL,
    title                   TEXT  NOT NULL,
    definition_version_id   TEXT          NOT NULL REFERENCES workflow_versions (id),
    lead_company_id         TEXT          NOT NULL REFERENCES companies (id),
    region_code             TEXT   NOT NULL REFERENCES regions (code),
    owner_user_id           TEXT          NOT NULL REFERENCES users (id),
    status                  TEXT   NOT NULL,
    current_stage           TEXT  NULL,
    current_step            TEXT  NOT NULL,
    step_started_at         TEXT          NOT NULL,
    step_due_at             TEXT          NULL,
    hold_started_at         TEXT          NULL,
    data                    TEXT          NOT NULL,
    version                 INTEGER       NOT NULL,
    audit_head_hash         TEXT      NOT NULL,
    audit_count             INTEGER       NOT NULL,
    opened_at               TEXT          NOT NULL,
    updated_at              TEXT          NOT NULL,
    closed_at               TEXT          NULL,
    CONSTRAINT uq_cases_reference UNIQUE (reference)
);
CREATE INDEX ix_cases_region_status ON cases (region_code, status, step_due_at);
CREATE INDEX ix_cases_owner ON cases (owner_user_id, status, step_due_at);
CREATE INDEX ix_cases_version ON cases (definition_version_id, status);

CREATE TABLE case_participants (
    id              TEXT          NOT NULL PRIMARY KEY,
    case_id         TEXT          NOT NULL REFERENCES cases (id),
    company_id      TEXT          NOT NULL REFERENCES companies (id),
    region_code     TEXT   NOT NULL REFERENCES regions (code),
    role            TEXT   NOT NULL,
    pipeline_status TEXT   NOT NULL,
    match_score     NUMERIC  NULL,
    added_by        TEXT          NULL REFERENCES users (id),
    added_at        TEXT          NOT NULL,
    updated_at      TEXT          NOT NULL,
    CONSTRAINT uq_case_participants UNIQUE (case_id, company_id)
);
CREATE INDEX ix_case_participants_region ON case_participants (region_code, case_id);

CREATE TABLE case_steps (
    id              TEXT          NOT NULL PRIMARY KEY,
    case_id         TEXT          NOT NULL REFERENCES cases (id),
    step_key        TEXT  NOT NULL,
    stage_key       TEXT  NULL,
    started_at      TEXT          NOT NULL,
    due_at          TEXT          NULL,
    completed_at    TEXT          NULL,
    completed_by    TEXT          NULL REFERENCES users (id),
    outcome         TEXT  NULL,
    form_data       TEXT          NULL
);
CREATE INDEX ix_case_steps_case ON case_steps (case_id, started_at);

CREATE TABLE case_events (
    case_id         TEXT          NOT NULL REFERENCES cases (id),
    seq             INTEGER       NOT NULL,
    id              TEXT          NOT NULL,
    occurred_at     TEXT          NOT NULL,
    actor_user_id   TEXT          NULL REFERENCES users (id),
    kind            TEXT   NOT NULL,
    step_key        TEXT  NULL,
    data            TEXT          NOT NULL,
    prev_hash       TEXT      NOT NULL,
    hash            TEXT      NOT NULL,
    PRIMARY KEY (case_id, seq),
    CONSTRAINT uq_case_events_id UNIQUE (id)
);

CREATE TABLE reminders (
    id              TEXT          NOT NULL PRIMARY KEY,
    case_id         TEXT          NOT NULL REFERENCES cases (id),
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
    created_at      TEXT          NOT NULL
);
CREATE INDEX ix_reminders_due ON reminders (status, due_at);
CREATE INDEX ix_reminders_case ON reminders (case_id, status);

CREATE TABLE notifications (
    id              TEXT          NOT NULL PRIMARY KEY,
    user_id         TEXT          NOT NULL REFERENCES users (id),
    case_id         TEXT          NULL REFERENCES cases (id),
    reminder_id     TEXT          NULL REFERENCES reminders (id),
    kind            TEXT   NOT NULL,
    title           TEXT  NOT NULL,
    body            TEXT          NOT NULL,
    delivery_key    TEXT  NOT NULL,
    created_at      TEXT          NOT NULL,
    read_at         TEXT          NULL,
    emailed_at      TEXT          NULL,
    CONSTRAINT uq_notifications_delivery_key UNIQUE (delivery_key)
);
CREATE INDEX ix_notifications_user ON notifications (user_id, read_at, created_at);

CREATE TABLE data_protection_keys (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    friendly_name   TEXT  NOT NULL,
    xml             TEXT          NOT NULL,
    created_at      TEXT          NOT NULL,
    CONSTRAINT uq_data_protection_keys_name UNIQUE (friendly_name)
);
