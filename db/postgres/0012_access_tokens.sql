-- Personal access tokens for the REST API. A token is shown once when it is made: "tibs_<id>_<secret>". Only the
-- SHA-256 of the secret is kept; the id part finds the row, and the hashes are compared in constant time. A token
-- carries its user's rights (read on every request), never more; scopes: 'read' or 'read write'.

CREATE TABLE access_tokens (
    id              uuid          NOT NULL PRIMARY KEY,
    user_id         uuid          NOT NULL REFERENCES users (id),
    name            varchar(100)  NOT NULL,
    secret_hash     char(64)      NOT NULL,
    scopes          varchar(50)   NOT NULL,
    created_at      timestamptz   NOT NULL,
    expires_at      timestamptz   NOT NULL,
    last_used_at    timestamptz   NULL,
    revoked_at      timestamptz   NULL
);
CREATE INDEX ix_access_tokens_user ON access_tokens (user_id, revoked_at);
