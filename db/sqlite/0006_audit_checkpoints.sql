-- Signed audit checkpoints: a copy of each line written to the anchor files (the files outside the database are the
-- trust root; this table lets the verifier compare both).

CREATE TABLE audit_checkpoints (
    seq             INTEGER       NOT NULL PRIMARY KEY,
    created_at      TEXT          NOT NULL,
    key_id          TEXT          NOT NULL,
    merkle_root     TEXT          NOT NULL,
    prev_hash       TEXT          NOT NULL,
    hash            TEXT          NOT NULL,
    case_count      INTEGER       NOT NULL,
    line            TEXT          NOT NULL
);
