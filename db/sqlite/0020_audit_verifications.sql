-- The scheduled verification of every case's whole audit trail (decision 0033).
--   audit_verifications           one row per run: who started it, when, the lease of the process running it, how
--                                 far it got (the last case checked; cases are walked in id order) and the totals.
--     slot                        'running' while the run is unfinished, the run's id once finished: unique, so two
--                                 processes can never both start a run.
--   audit_verification_failures   what a run found wrong, in the order found: the case (none for the anchor files),
--                                 the kind of damage and the first problem in words.

CREATE TABLE audit_verifications (
    id              TEXT          NOT NULL PRIMARY KEY,
    slot            TEXT          NOT NULL,
    started_by      TEXT          NOT NULL,
    started_at      TEXT          NOT NULL,
    finished_at     TEXT          NULL,
    holder          TEXT          NOT NULL,
    lease_until     TEXT          NOT NULL,
    last_case_id    TEXT          NULL,
    cases_checked   INTEGER       NOT NULL,
    events_checked  INTEGER       NOT NULL,
    failures        INTEGER       NOT NULL,
    CONSTRAINT uq_audit_verifications_slot UNIQUE (slot)
);
CREATE INDEX ix_audit_verifications_started ON audit_verifications (started_at);

CREATE TABLE audit_verification_failures (
    run_id          TEXT          NOT NULL REFERENCES audit_verifications (id),
    position        INTEGER       NOT NULL,
    case_id         TEXT          NULL,
    reference       TEXT          NULL,
    kind            TEXT          NOT NULL,
    message         TEXT          NOT NULL,
    PRIMARY KEY (run_id, position)
);
