-- TIBS.Cases initial schema (SQL Server). Published scripts never change: add a new numbered script instead.

CREATE TABLE regions (
    code            nvarchar(10)  NOT NULL PRIMARY KEY,
    name            nvarchar(200) NOT NULL,
    country_code    char(2)      NOT NULL,
    nuts_level      smallint     NOT NULL,
    kind            nvarchar(20)  NOT NULL,
    sort_order      int      NOT NULL
);

CREATE TABLE nace_sections (
    code            char(1)      NOT NULL PRIMARY KEY,
    name            nvarchar(300) NOT NULL
);

CREATE TABLE s3_areas (
    code            nvarchar(50)  NOT NULL PRIMARY KEY,
    name            nvarchar(200) NOT NULL,
    sort_order      int      NOT NULL
);

CREATE TABLE users (
    id                      uniqueidentifier          NOT NULL PRIMARY KEY,
    email                   nvarchar(320) NOT NULL,
    display_name            nvarchar(200) NOT NULL,
    role                    nvarchar(20)  NOT NULL,
    region_code             nvarchar(10)  NULL REFERENCES regions (code),
    password_hash           nvarchar(500) NOT NULL,
    security_stamp          nvarchar(64)  NOT NULL,
    failed_sign_in_count    int      NOT NULL DEFAULT 0,
    lockout_end             datetimeoffset(7)  NULL,
    is_active               bit      NOT NULL DEFAULT 1,
    created_at              datetimeoffset(7)  NOT NULL,
    updated_at              datetimeoffset(7)  NOT NULL,
    CONSTRAINT uq_users_email UNIQUE (email)
);

CREATE TABLE companies (
    id              uniqueidentifier           NOT NULL PRIMARY KEY,
    name            nvarchar(300)  NOT NULL,
    country_code    char(2)       NOT NULL,
    region_code     nvarchar(10)   NOT NULL REFERENCES regions (code),
    size_class      nvarchar(20)   NOT NULL,
    year_founded    int       NULL,
    website         nvarchar(500)  NULL,
    offers          nvarchar(max)          NULL,
    needs           nvarchar(max)          NULL,
    keywords        nvarchar(max)          NULL,
    languages       nvarchar(200)  NULL,
    created_by      uniqueidentifier           NULL REFERENCES users (id),
    created_at      datetimeoffset(7)   NOT NULL,
    updated_at      datetimeoffset(7)   NOT NULL,
    version         int       NOT NULL DEFAULT 1
);
CREATE INDEX ix_companies_region ON companies (region_code, name, id);

CREATE TABLE company_contacts (
    id              uniqueidentifier           NOT NULL PRIMARY KEY,
    company_id      uniqueidentifier           NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
    name            nvarchar(200)  NOT NULL,
    role            nvarchar(200)  NULL,
    email           nvarchar(320)  NULL,
    phone           nvarchar(50)   NULL,
    consent_date    date          NULL,
    consent_purpose nvarchar(500)  NULL
);
CREATE INDEX ix_company_contacts_company ON company_contacts (company_id);

CREATE TABLE company_nace_codes (
    company_id      uniqueidentifier           NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
    nace_code       nvarchar(10)   NOT NULL,
    PRIMARY KEY (company_id, nace_code)
);

CREATE TABLE company_s3_areas (
    company_id      uniqueidentifier           NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
    s3_code         nvarchar(50)   NOT NULL REFERENCES s3_areas (code),
    PRIMARY KEY (company_id, s3_code)
);

CREATE TABLE workflow_definitions (
    id                      uniqueidentifier          NOT NULL PRIMARY KEY,
    definition_key          nvarchar(100) NOT NULL,
    name                    nvarchar(200) NOT NULL,
    published_version_id    uniqueidentifier          NULL,
    created_at              datetimeoffset(7)  NOT NULL,
    row_version             int      NOT NULL DEFAULT 1,
    CONSTRAINT uq_workflow_definitions_key UNIQUE (definition_key)
);

CREATE TABLE workflow_versions (
    id              uniqueidentifier          NOT NULL PRIMARY KEY,
    definition_id   uniqueidentifier          NOT NULL REFERENCES workflow_definitions (id),
    number          int      NOT NULL,
    status          nvarchar(20)  NOT NULL,
    content         nvarchar(max)         NOT NULL,
    content_hash    char(64)     NOT NULL,
    source          nvarchar(20)  NOT NULL,
    created_by      uniqueidentifier          NULL REFERENCES users (id),
    created_at      datetimeoffset(7)  NOT NULL,
    published_by    uniqueidentifier          NULL REFERENCES users (id),
    published_at    datetimeoffset(7)  NULL,
    row_version     int      NOT NULL DEFAULT 1,
    CONSTRAINT uq_workflow_versions_number UNIQUE (definition_id, number)
);
-- At most one draft per definition.
CREATE UNIQUE NONCLUSTERED INDEX ux_workflow_versions_one_draft ON workflow_versions (definition_id) WHERE status = N'draft';

CREATE TABLE case_sequences (
    region_code     nvarchar(10)  NOT NULL,
    year            int      NOT NULL,
    last_value      int      NOT NULL,
    PRIMARY KEY (region_code, year)
);

CREATE TABLE cases (
    id                      uniqueidentifier           NOT NULL PRIMARY KEY,
    reference               nvarchar(30)   NOT NULL,
    title                   nvarchar(300)  NOT NULL,
    definition_version_id   uniqueidentifier           NOT NULL REFERENCES workflow_versions (id),
    lead_company_id         uniqueidentifier           NOT NULL REFERENCES companies (id),
    region_code             nvarchar(10)   NOT NULL REFERENCES regions (code),
    owner_user_id           uniqueidentifier           NOT NULL REFERENCES users (id),
    status                  nvarchar(20)   NOT NULL,
    current_stage           nvarchar(100)  NULL,
    current_step            nvarchar(100)  NOT NULL,
    step_started_at         datetimeoffset(7)   NOT NULL,
    step_due_at             datetimeoffset(7)   NULL,
    hold_started_at         datetimeoffset(7)   NULL,
    data                    nvarchar(max)          NOT NULL,
    version                 int       NOT NULL,
    audit_head_hash         char(64)      NOT NULL,
    audit_count             int       NOT NULL,
    opened_at               datetimeoffset(7)   NOT NULL,
    updated_at              datetimeoffset(7)   NOT NULL,
    closed_at               datetimeoffset(7)   NULL,
    CONSTRAINT uq_cases_reference UNIQUE (reference)
);
CREATE INDEX ix_cases_region_status ON cases (region_code, status, step_due_at);
CREATE INDEX ix_cases_owner ON cases (owner_user_id, status, step_due_at);
CREATE INDEX ix_cases_version ON cases (definition_version_id, status);

CREATE TABLE case_participants (
    id              uniqueidentifier           NOT NULL PRIMARY KEY,
    case_id         uniqueidentifier           NOT NULL REFERENCES cases (id),
    company_id      uniqueidentifier           NOT NULL REFERENCES companies (id),
    region_code     nvarchar(10)   NOT NULL REFERENCES regions (code),
    role            nvarchar(20)   NOT NULL,
    pipeline_status nvarchar(30)   NOT NULL,
    match_score     numeric(9,4)  NULL,
    added_by        uniqueidentifier           NULL REFERENCES users (id),
    added_at        datetimeoffset(7)   NOT NULL,
    updated_at      datetimeoffset(7)   NOT NULL,
    CONSTRAINT uq_case_participants UNIQUE (case_id, company_id)
);
CREATE INDEX ix_case_participants_region ON case_participants (region_code, case_id);

CREATE TABLE case_steps (
    id              uniqueidentifier           NOT NULL PRIMARY KEY,
    case_id         uniqueidentifier           NOT NULL REFERENCES cases (id),
    step_key        nvarchar(100)  NOT NULL,
    stage_key       nvarchar(100)  NULL,
    started_at      datetimeoffset(7)   NOT NULL,
    due_at          datetimeoffset(7)   NULL,
    completed_at    datetimeoffset(7)   NULL,
    completed_by    uniqueidentifier           NULL REFERENCES users (id),
    outcome         nvarchar(100)  NULL,
    form_data       nvarchar(max)          NULL
);
CREATE INDEX ix_case_steps_case ON case_steps (case_id, started_at);

CREATE TABLE case_events (
    case_id         uniqueidentifier           NOT NULL REFERENCES cases (id),
    seq             int       NOT NULL,
    id              uniqueidentifier           NOT NULL,
    occurred_at     datetimeoffset(7)   NOT NULL,
    actor_user_id   uniqueidentifier           NULL REFERENCES users (id),
    kind            nvarchar(50)   NOT NULL,
    step_key        nvarchar(100)  NULL,
    data            nvarchar(max)          NOT NULL,
    prev_hash       char(64)      NOT NULL,
    hash            char(64)      NOT NULL,
    PRIMARY KEY (case_id, seq),
    CONSTRAINT uq_case_events_id UNIQUE (id)
);

CREATE TABLE reminders (
    id              uniqueidentifier           NOT NULL PRIMARY KEY,
    case_id         uniqueidentifier           NOT NULL REFERENCES cases (id),
    case_step_id    uniqueidentifier           NULL REFERENCES case_steps (id),
    step_key        nvarchar(100)  NOT NULL,
    kind            nvarchar(20)   NOT NULL,
    recipient_role  nvarchar(20)   NOT NULL,
    due_at          datetimeoffset(7)   NOT NULL,
    status          nvarchar(20)   NOT NULL,
    claimed_by      nvarchar(200)  NULL,
    claimed_until   datetimeoffset(7)   NULL,
    attempts        int       NOT NULL DEFAULT 0,
    sent_at         datetimeoffset(7)   NULL,
    created_at      datetimeoffset(7)   NOT NULL
);
CREATE INDEX ix_reminders_due ON reminders (status, due_at);
CREATE INDEX ix_reminders_case ON reminders (case_id, status);

CREATE TABLE notifications (
    id              uniqueidentifier           NOT NULL PRIMARY KEY,
    user_id         uniqueidentifier           NOT NULL REFERENCES users (id),
    case_id         uniqueidentifier           NULL REFERENCES cases (id),
    reminder_id     uniqueidentifier           NULL REFERENCES reminders (id),
    kind            nvarchar(30)   NOT NULL,
    title           nvarchar(300)  NOT NULL,
    body            nvarchar(max)          NOT NULL,
    delivery_key    nvarchar(200)  NOT NULL,
    created_at      datetimeoffset(7)   NOT NULL,
    read_at         datetimeoffset(7)   NULL,
    emailed_at      datetimeoffset(7)   NULL,
    CONSTRAINT uq_notifications_delivery_key UNIQUE (delivery_key)
);
CREATE INDEX ix_notifications_user ON notifications (user_id, read_at, created_at);

CREATE TABLE data_protection_keys (
    id              int IDENTITY(1,1) PRIMARY KEY,
    friendly_name   nvarchar(200)  NOT NULL,
    xml             nvarchar(max)          NOT NULL,
    created_at      datetimeoffset(7)   NOT NULL,
    CONSTRAINT uq_data_protection_keys_name UNIQUE (friendly_name)
);
