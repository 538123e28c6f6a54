-- Two-step sign-in with time-based one-time codes (decision 0040).
--   user_two_step        one row per user who started or finished enrolment: the TOTP secret protected with ASP.NET
--                        Core Data Protection (never in clear), when enrolment started, when it was confirmed (NULL:
--                        not yet, the code is not asked for) and the last time step whose code was accepted (a code is
--                        accepted once: a replay of it or of an older one is refused).
--   user_recovery_codes  the one-time recovery codes of a user: only the SHA-256 of each code; used_at NULL: unused.

CREATE TABLE user_two_step (
    user_id          TEXT NOT NULL PRIMARY KEY REFERENCES users (id),
    protected_secret TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    enabled_at       TEXT NULL,
    last_used_step   INTEGER NULL
);

CREATE TABLE user_recovery_codes (
    user_id          TEXT NOT NULL REFERENCES users (id),
    code_hash        TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    used_at          TEXT NULL,
    CONSTRAINT pk_user_recovery_codes PRIMARY KEY (user_id, code_hash)
);
