-- Audits are cases too (decision 0023). An audit case runs the strategy-audit definition and links to the strategy it
-- audits; a sample drawn by an evaluator is recorded with its seed so that it can be drawn again; findings are rows of
-- their own, each answered by the broker of the strategy's region.
--   cases.audited_case_id   the strategy an audit case audits (NULL for every other case); no foreign key to its own
--                           table, so that resetting and archiving need no order among cases; the opening handler checks it
--   audit_samples           one draw: the seed, what it was drawn from and the strategies drawn, in order
--   audit_findings          one finding of an audit: severity, the strategy's step it concerns, the broker's answer

ALTER TABLE cases ADD audited_case_id uniqueidentifier NULL;
CREATE INDEX ix_cases_audited ON cases (audited_case_id);

CREATE TABLE audit_samples (
    id              uniqueidentifier   NOT NULL PRIMARY KEY,
    seed            bigint             NOT NULL,
    region_code     nvarchar(10)       NOT NULL REFERENCES regions (code),
    period_from     date               NOT NULL,
    period_to       date               NOT NULL,
    requested       int                NOT NULL,
    drawn_case_ids  nvarchar(max)      NOT NULL,
    drawn_by        uniqueidentifier   NOT NULL REFERENCES users (id),
    drawn_at        datetimeoffset(7)  NOT NULL
);

CREATE TABLE audit_findings (
    id              uniqueidentifier   NOT NULL PRIMARY KEY,
    audit_case_id   uniqueidentifier   NOT NULL REFERENCES cases (id),
    number          int                NOT NULL,
    severity        nvarchar(20)       NOT NULL,
    strategy_step   nvarchar(100)      NOT NULL,
    description     nvarchar(max)      NOT NULL,
    recorded_by     uniqueidentifier   NOT NULL REFERENCES users (id),
    recorded_at     datetimeoffset(7)  NOT NULL,
    response        nvarchar(max)      NULL,
    answered_by     uniqueidentifier   NULL REFERENCES users (id),
    answered_at     datetimeoffset(7)  NULL
);
CREATE UNIQUE INDEX ux_audit_findings_number ON audit_findings (audit_case_id, number);
