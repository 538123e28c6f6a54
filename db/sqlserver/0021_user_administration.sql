-- User administration (decision 0036).
--   user_regions        the regions a user covers (a broker may cover more than one). users.region_code stays: it is
--                       the user's first region (or NULL), kept in step by every write, so every reader of it works.
--   user_links          one-time links of invitations and password resets: only the SHA-256 of the token is stored;
--                       purpose (invitation, password-reset), when it runs out, when it was used (NULL: not yet).
--   administration_log  every administrative action on users: who (NULL: the system), when, what (an action name
--                       and a description in words), about whom. Never passwords or tokens.

CREATE TABLE user_regions (
    user_id         uniqueidentifier NOT NULL REFERENCES users (id),
    region_code     nvarchar(10) NOT NULL REFERENCES regions (code),
    CONSTRAINT pk_user_regions PRIMARY KEY (user_id, region_code)
);
CREATE INDEX ix_user_regions_region ON user_regions (region_code);

INSERT INTO user_regions (user_id, region_code) SELECT id, region_code FROM users WHERE region_code IS NOT NULL;

CREATE TABLE user_links (
    id              uniqueidentifier NOT NULL PRIMARY KEY,
    user_id         uniqueidentifier NOT NULL REFERENCES users (id),
    purpose         nvarchar(20) NOT NULL,
    token_hash      nvarchar(64) NOT NULL,
    created_at      datetimeoffset(7) NOT NULL,
    expires_at      datetimeoffset(7) NOT NULL,
    used_at         datetimeoffset(7) NULL,
    created_by      uniqueidentifier NULL,
    CONSTRAINT uq_user_links_token UNIQUE (token_hash)
);
CREATE INDEX ix_user_links_user ON user_links (user_id);

CREATE TABLE administration_log (
    id              uniqueidentifier NOT NULL PRIMARY KEY,
    occurred_at     datetimeoffset(7) NOT NULL,
    actor_id        uniqueidentifier NULL,
    action          nvarchar(40) NOT NULL,
    subject_user_id uniqueidentifier NULL,
    details         nvarchar(2000) NOT NULL
);
CREATE INDEX ix_administration_log_time ON administration_log (occurred_at);
GO
