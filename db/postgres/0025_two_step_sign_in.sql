-- Two-step sign-in with time-based one-time codes (decision 0040).
--   user_two_step        one row per user who started or finished enrolment: the TOTP secret protected with ASP.NET
--                        Core Data Protection (never in clear), when enrolment started, when it was confirmed (NULL:
--                        not yet, the code is not asked for) and the last time step whose code was accepted (a code is
--                        accepted once: a replay of it or of an older one is refused).
--   user_recovery_codes  the one-time recovery codes of a user: only the SHA-256 of each code; used_at NULL: unused.

CREATE TABLE user_two_step (
    user_id          uuid NOT NULL PRIMARY KEY REFERENCES users (id),
    protected_secret varchar(1000) NOT NULL,
    created_at       timestamptz NOT NULL,
    enabled_at       timestamptz NULL,
    last_used_step   bigint NULL
);

CREATE TABLE user_recovery_codes (
    user_id          uuid NOT NULL REFERENCES users (id),
    code_hash        varchar(64) NOT NULL,
    created_at       timestamptz NOT NULL,
    used_at          timestamptz NULL,
    CONSTRAINT pk_user_recovery_codes PRIMARY KEY (user_id, code_hash)
);
