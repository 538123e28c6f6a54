-- The scheduled verification of every case's whole audit trail (decision 0033).
--   audit_verifications           one row per run: who started it, when, the lease of the process running it, how
--                                 far it got (the last case checked; cases are walked in id order) and the totals.
--     slot                        'running' while the run is unfinished, the run's id once finished: unique, so two
--                                 processes can never both start a run.
--   audit_verification_failures   what a run found wrong, in the order found: the case (none for the anchor files),
--                                 the kind of damage and the first problem in words.

CREATE TABLE audit_verifications (
    id              uniqueidentifier    NOT NULL PRIMARY KEY,
    slot            nvarchar(40)        NOT NULL,
    started_by      nvarchar(200)       NOT NULL,
    started_at      datetimeoffset(7)   NOT NULL,
    finished_at     datetimeoffset(7)   NULL,
    holder          nvarchar(200)       NOT NULL,
    lease_until     datetimeoffset(7)   NOT NULL,
    last_case_id    uniqueidentifier    NULL,
    cases_checked   int                 NOT NULL,
    events_checked  int                 NOT NULL,
    failures        int                 NOT NULL,
    CONSTRAINT uq_audit_verifications_slot UNIQUE (slot)
);
CREATE INDEX ix_audit_verifications_started ON audit_verifications (started_at);

CREATE TABLE audit_verification_failures (
    run_id          uniqueidentifier    NOT NULL REFERENCES audit_verifications (id),
    position        int                 NOT NULL,
    case_id         uniqueidentifier    NULL,
    reference       nvarchar(30)        NULL,
    kind            nvarchar(20)        NOT NULL,
    message         nvarchar(max)       NOT NULL,
    PRIMARY KEY (run_id, position)
);
GO
