-- Audits are cases too (decision 0023). An audit case runs the strategy-audit definition and links to the strategy it
-- audits; a sample drawn by an evaluator is recorded with its seed so that it can be drawn again; findings are rows of
-- their own, each answered by the broker of the strategy's region.
--   cases.audited_case_id   the strategy an audit case audits (NULL for every other case); no foreign key to its own
--                           table, so that resetting and archiving need no order among cases; the opening handler checks it
--   audit_samples           one draw: the seed, what it was drawn from and the strategies drawn, in order
--   audit_findings          one finding of an audit: severity, the strategy's step it concerns, the broker's answer

ALTER TABLE cases ADD COLUMN audited_case_id TEXT NULL;
CREATE INDEX ix_cases_audited ON cases (audited_case_id);

CREATE TABLE audit_samples (
    id              TEXT          NOT NULL PRIMARY KEY,
    seed            INTEGER       NOT NULL,
    region_code     TEXT          NOT NULL REFERENCES regions (code),
    period_from     TEXT          NOT NULL,
    period_to       TEXT          NOT NULL,
    requested       INTEGER       NOT NULL,
    drawn_case_ids  TEXT          NOT NULL,
    drawn_by        TEXT          NOT NULL REFERENCES users (id),
    drawn_at        TEXT          NOT NULL
);

CREATE TABLE audit_findings (
    id              TEXT          NOT NULL PRIMARY KEY,
    audit_case_id   TEXT          NOT NULL REFERENCES cases (id),
    number          INTEGER       NOT NULL,
    severity        TEXT          NOT NULL,
    strategy_step   TEXT          NOT NULL,
    description     TEXT          NOT NULL,
    recorded_by     TEXT          NOT NULL REFERENCES users (id),
    recorded_at     TEXT          NOT NULL,
    response        TEXT          NULL,
    answered_by     TEXT          NULL REFERENCES users (id),
    answered_at     TEXT          NULL
);
CREATE UNIQUE INDEX ux_audit_findings_number ON audit_findings (audit_case_id, number);
