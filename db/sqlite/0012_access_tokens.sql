-- Personal access tokens for the REST API. A token is shown once when it is made: "tibs_<id>_<secret>". Only the
-- SHA-256 of the secret is kept; the id part finds the row, and the hashes are compared in constant time. A token
-- carries its user's rights (read on every request), never more; scopes: 'read' or 'read write'.

CREATE TABLE access_tokens (
    id              TEXT          NOT NULL PRIMARY KEY,
    user_id         TEXT          NOT NULL REFERENCES users (id),
    name            TEXT          NOT NULL,
    secret_hash     TEXT          NOT NULL,
    scopes          TEXT          NOT NULL,
    created_at      TEXT          NOT NULL,
    expires_at      TEXT          NOT NULL,
    last_used_at    TEXT          NULL,
    revoked_at      TEXT          NULL
);
CREATE INDEX ix_access_tokens_user ON access_tokens (user_id, revoked_at);
