-- Idempotency-Key of API POSTs: the first request with a key (per user) is recorded with a fingerprint of what was
-- sent; its answer (status, content type, ETag and Location headers, body) is stored when it is done, and a retry
-- with the same key gets that answer again without running anything. The same key with a different request is
-- refused. A row without a status is a request still running. Rows older than a day may be replaced.

CREATE TABLE idempotency_keys (
    user_id          TEXT              NOT NULL REFERENCES users (id),
    idempotency_key  TEXT              NOT NULL,
    fingerprint      TEXT              NOT NULL,
    created_at       TEXT              NOT NULL,
    status_code      INTEGER           NULL,
    content_type     TEXT              NULL,
    body             BLOB              NULL,
    response_headers TEXT              NULL,
    PRIMARY KEY (user_id, idempotency_key)
);
CREATE INDEX ix_idempotency_keys_created ON idempotency_keys (created_at);
