-- Single sign-on with OpenID Connect (decision 0042).
--   user_external_logins  the identity at the provider that a user signed in with the first time: the issuer and the
--                         subject (the provider's stable id of the person), so that a later change of e-mail address at
--                         the provider still finds the same user. One per user and issuer; one user per issuer and
--                         subject. An administrator can remove it (the next sign-in links again by e-mail).

CREATE TABLE user_external_logins (
    issuer          varchar(500) NOT NULL,
    subject         varchar(255) NOT NULL,
    user_id         uuid NOT NULL REFERENCES users (id),
    linked_at       timestamptz NOT NULL,
    CONSTRAINT pk_user_external_logins PRIMARY KEY (issuer, subject),
    CONSTRAINT uq_user_external_logins_user UNIQUE (user_id, issuer)
);
