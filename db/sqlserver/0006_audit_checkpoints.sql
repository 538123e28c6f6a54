-- Signed audit checkpoints: a copy of each line written to the anchor files (the files outside the database are the
-- trust root; this table lets the verifier compare both).

CREATE TABLE audit_checkpoints (
    seq             int                 NOT NULL PRIMARY KEY,
    created_at      datetimeoffset(7)   NOT NULL,
    key_id          nvarchar(64)        NOT NULL,
    merkle_root     char(64)            NOT NULL,
    prev_hash       char(64)            NOT NULL,
    hash            char(64)            NOT NULL,
    case_count      int                 NOT NULL,
    line            nvarchar(max)       NOT NULL
);
