-- Personal access tokens for the REST API. A token is shown once when it is made: "tibs_<id>_<secret>". Only the
-- SHA-256 of the secret is kept; the id part finds the row, and the hashes are compared in constant time. A token
-- carries its user's rights (read on every request), never more; scopes: 'read' or 'read write'.

CREATE TABLE access_tokens (
    id              uniqueidentifier   NOT NULL PRIMARY KEY,
    user_id         uniqueidentifier   NOT NULL REFERENCES users (id),
    name            nvarchar(100)      NOT NULL,
    secret_hash     char(64)           NOT NULL,
    scopes          nvarchar(50)       NOT NULL,
    created_at      datetimeoffset(7)  NOT NULL,
    expires_at      datetimeoffset(7)  NOT NULL,
    last_used_at    datetimeoffset(7)  NULL,
    revoked_at      datetimeoffset(7)  NULL
);
CREATE INDEX ix_access_tokens_user ON access_tokens (user_id, revoked_at);
