-- TIBS.Cases initial schema (PostgreSQL). Published scripts never change: add a new numbered script instead.

CREATE TABLE regions (
    code            varchar(10)  NOT NULL PRIMARY KEY,
    name            varchar(200) NOT NULL,
    country_code    char(2)      NOT NULL,
    nuts_level      smallint     NOT NULL,
    kind            varchar(20)  NOT NULL,
    sort_order      integer      NOT NULL
);

CREATE TABLE nace_sections (
    code            char(1)      NOT NULL PRIMARY KEY,
    name            varchar(300) NOT NULL
);

CREATE TABLE s3_areas (
    code            varchar(50)  NOT NULL PRIMARY KEY,
    name            varchar(200) NOT NULL,
    sort_order      integer      NOT NULL
);

CREATE TABLE users (
    id                      uuid         NOT NULL PRIMARY KEY,
    email                   varchar(320) NOT NULL,
    display_name            varchar(200) NOT NULL,
    role                    varchar(20)  NOT NULL,
    region_code             varchar(10)  NULL REFERENCES regions (code),
    password_hash           varchar(500) NOT NULL,
    security_stamp          varchar(64)  NOT NULL,
    failed_sign_in_count    integer      NOT NULL DEFAULT 0,
    lockout_end             timestamptz  NULL,
    is_active               boolean      NOT NULL DEFAULT TRUE,
    created_at              timestamptz  NOT NULL,
    updated_at              timestamptz  NOT NULL,
    CONSTRAINT uq_users_email UNIQUE (email)
);

CREATE TABLE companies (
    id              uuid          NOT NULL PRIMARY KEY,
    name            varchar(300)  NOT NULL,
    country_code    char(2)       NOT NULL,
    region_code     varchar(10)   NOT NULL REFERENCES regions (code),
    size_class      varchar(20)   NOT NULL,
    year_founded    integer       NULL,
    website         varchar(500)  NULL,
    offers          text          NULL,
    needs           text          NULL,
    keywords        text          NULL,
    languages       varchar(200)  NULL,
    created_by      uuid          NULL REFERENCES users (id),
    created_at      timestamptz   NOT NULL,
    updated_at      timestamptz   NOT NULL,
    version         integer       NOT NULL DEFAULT 1
);
CREATE INDEX ix_companies_region ON companies (region_code, name, id);

CREATE TABLE company_contacts (
    id              uuid          NOT NULL PRIMARY KEY,
    company_id      uuid          NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
    name            varchar(200)  NOT NULL,
    role            varchar(200)  NULL,
    email           varchar(320)  NULL,
    phone           varchar(50)   NULL,
    consent_date    date          NULL,
    consent_purpose varchar(500)  NULL
);
CREATE INDEX ix_company_contacts_company ON company_contacts (company_id);

CREATE TABLE company_nace_codes (
    company_id      uuid          NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
    nace_code       varchar(10)   NOT NULL,
    PRIMARY KEY (company_id, nace_code)
);

CREATE TABLE company_s3_areas (
    company_id      uuid          NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
    s3_code         varchar(50)   NOT NULL REFERENCES s3_areas (code),
    PRIMARY KEY (company_id, s3_code)
);

CREATE TABLE workflow_definitions (
    id                      uuid         NOT NULL PRIMARY KEY,
    definition_key          varchar(100) NOT NULL,
    name                    varchar(200) NOT NULL,
    published_version_id    uuid         NULL,
    created_at              timestamptz  NOT NULL,
    row_version             integer      NOT NULL DEFAULT 1,
    CONSTRAINT uq_workflow_definitions_key UNIQUE (definition_key)
);

CREATE TABLE workflow_versions (
    id              uuid         NOT NULL PRIMARY KEY,
    definition_id   uuid         NOT NULL REFERENCES workflow_definitions (id),
    number          integer      NOT NULL,
    status          varchar(20)  NOT NULL,
    content         text         NOT NULL,
    content_hash    char(64)     NOT NULL,
    source          varchar(20)  NOT NULL,
    created_by      uuid         NULL REFERENCES users (id),
    created_at      timestamptz  NOT NULL,
    published_by    uuid         NULL REFERENCES users (id),
    published_at    timestamptz  NULL,
    row_version     integer      NOT NULL DEFAULT 1,
    CONSTRAINT uq_workflow_versions_number UNIQUE (definition_id, number)
);
-- At most one draft per definition.
CREATE UNIQUE INDEX ux_workflow_versions_one_draft ON workflow_versions (definition_id) WHERE status = 'draft';

CREATE TABLE case_sequences (
    region_code     varchar(10)  NOT NULL,
    year            integer      NOT NULL,
    last_value      integer      NOT NULL,
    PRIMARY KEY (region_code, year)
);

CREATE TABLE cases (
    id                      uuid          NOT NULL PRIMARY KEY,
    reference               varchar(30)   NOT NULL,
    title                   varchar(300)  NOT NULL,
    definition_version_id   uuid          NOT NULL REFERENCES workflow_versions (id),
    lead_company_id         uuid          NOT NULL REFERENCES companies (id),
    region_code             varchar(10)   NOT NULL REFERENCES regions (code),
    owner_user_id           uuid          NOT NULL REFERENCES users (id),
    status                  varchar(20)   NOT NULL,
    current_stage           varchar(100)  NULL,
    current_step            varchar(100)  NOT NULL,
    step_started_at         timestamptz   NOT NULL,
    step_due_at             timestamptz   NULL,
    hold_started_at         timestamptz   NULL,
    data                    text          NOT NULL,
    version                 integer       NOT NULL,
    audit_head_hash         char(64)      NOT NULL,
    audit_count             integer       NOT NULL,
    opened_at               timestamptz   NOT NULL,
    updated_at              timestamptz   NOT NULL,
    closed_at               timestamptz   NULL,
    CONSTRAINT uq_cases_reference UNIQUE (reference)
);
CREATE INDEX ix_cases_region_status ON cases (region_code, status, step_due_at);
CREATE INDEX ix_cases_owner ON cases (owner_user_id, status, step_due_at);
CREATE INDEX ix_cases_version ON cases (definition_version_id, status);

CREATE TABLE case_participants (
    id              uuid          NOT NULL PRIMARY KEY,
    case_id         uuid          NOT NULL REFERENCES cases (id),
    company_id      uuid          NOT NULL REFERENCES companies (id),
    region_code     varchar(10)   NOT NULL REFERENCES regions (code),
    role            varchar(20)   NOT NULL,
    pipeline_status varchar(30)   NOT NULL,
    match_score     numeric(9,4)  NULL,
    added_by        uuid          NULL REFERENCES users (id),
    added_at        timestamptz   NOT NULL,
    updated_at      timestamptz   NOT NULL,
    CONSTRAINT uq_case_participants UNIQUE (case_id, company_id)
);
CREATE INDEX ix_case_participants_region ON case_participants (region_code, case_id);

CREATE TABLE case_steps (
    id              uuid          NOT NULL PRIMARY KEY,
    case_id         uuid          NOT NULL REFERENCES cases (id),
    step_key        varchar(100)  NOT NULL,
    stage_key       varchar(100)  NULL,
    started_at      timestamptz   NOT NULL,
    due_at          timestamptz   NULL,
    completed_at    timestamptz   NULL,
    completed_by    uuid          NULL REFERENCES users (id),
    outcome         varchar(100)  NULL,
    form_data       text          NULL
);
CREATE INDEX ix_case_steps_case ON case_steps (case_id, started_at);

CREATE TABLE case_events (
    case_id         uuid          NOT NULL REFERENCES cases (id),
    seq             integer       NOT NULL,
    id              uuid          NOT NULL,
    occurred_at     timestamptz   NOT NULL,
    actor_user_id   uuid          NULL REFERENCES users (id),
    kind            varchar(50)   NOT NULL,
    step_key        varchar(100)  NULL,
    data            text          NOT NULL,
    prev_hash       char(64)      NOT NULL,
    hash            char(64)      NOT NULL,
    PRIMARY KEY (case_id, seq),
    CONSTRAINT uq_case_events_id UNIQUE (id)
);

CREATE TABLE reminders (
    id              uuid          NOT NULL PRIMARY KEY,
    case_id         uuid          NOT NULL REFERENCES cases (id),
    case_step_id    uuid          NULL REFERENCES case_steps (id),
    step_key        varchar(100)  NOT NULL,
    kind            varchar(20)   NOT NULL,
    recipient_role  varchar(20)   NOT NULL,
    due_at          timestamptz   NOT NULL,
    status          varchar(20)   NOT NULL,
    claimed_by      varchar(200)  NULL,
    claimed_until   timestamptz   NULL,
    attempts        integer       NOT NULL DEFAULT 0,
    sent_at         timestamptz   NULL,
    created_at      timestamptz   NOT NULL
);
CREATE INDEX ix_reminders_due ON reminders (status, due_at);
CREATE INDEX ix_reminders_case ON reminders (case_id, status);

CREATE TABLE notifications (
    id              uuid          NOT NULL PRIMARY KEY,
    user_id         uuid          NOT NULL REFERENCES users (id),
    case_id         uuid          NULL REFERENCES cases (id),
    reminder_id     uuid          NULL REFERENCES reminders (id),
    kind            varchar(30)   NOT NULL,
    title           varchar(300)  NOT NULL,
    body            text          NOT NULL,
    delivery_key    varchar(200)  NOT NULL,
    created_at      timestamptz   NOT NULL,
    read_at         timestamptz   NULL,
    emailed_at      timestamptz   NULL,
    CONSTRAINT uq_notifications_delivery_key UNIQUE (delivery_key)
);
CREATE INDEX ix_notifications_user ON notifications (user_id, read_at, created_at);

CREATE TABLE data_protection_keys (
    id              integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    friendly_name   varchar(200)  NOT NULL,
    xml             text          NOT NULL,
    created_at      timestamptz   NOT NULL,
    CONSTRAINT uq_data_protection_keys_name UNIQUE (friendly_name)
);
