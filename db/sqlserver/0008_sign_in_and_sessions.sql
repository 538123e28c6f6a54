-- Sign-in throttling and server-side sessions. Failed sign-ins are counted per submitted e-mail address and per
-- client address (not per user), so unknown addresses are throttled exactly like known ones. Each sign-in starts a
-- session row; the cookie names it, and signing out (or revoking all of a user's sessions) ends every copy of it.
-- users.failed_sign_in_count and users.lockout_end are no longer used: there is no lockout by failures alone.

CREATE TABLE sign_in_throttle (
    throttle_key    nvarchar(400)      NOT NULL PRIMARY KEY,
    failures        int                NOT NULL,
    last_failure_at datetimeoffset(7)  NOT NULL
);
CREATE INDEX ix_sign_in_throttle_last_failure ON sign_in_throttle (last_failure_at);

CREATE TABLE user_sessions (
    id              uniqueidentifier   NOT NULL PRIMARY KEY,
    user_id         uniqueidentifier   NOT NULL REFERENCES users (id),
    created_at      datetimeoffset(7)  NOT NULL,
    last_seen_at    datetimeoffset(7)  NOT NULL,
    revoked_at      datetimeoffset(7)  NULL,
    user_agent_hash char(64)           NULL
);
CREATE INDEX ix_user_sessions_user ON user_sessions (user_id, revoked_at);
