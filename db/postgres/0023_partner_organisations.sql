-- Partner organisations (decision 0038).
--   organisations        the programme's partner organisations: name, kind, country, optional web address, archived
--                        or not. name_key is the name folded for comparison (trimmed, lower case): a name is unique
--                        within its country. version grows with every change (optimistic concurrency of the edit form).
--   users.organisation_id the one organisation a user belongs to; NULL for users from before this script until an
--                        administrator sets it. ix_users_organisation serves the users list's filter and the case
--                        list's "Organisation" filter (cases whose owner belongs to it, through ix_cases_owner).

CREATE TABLE organisations (
    id              uuid NOT NULL PRIMARY KEY,
    name            varchar(200) NOT NULL,
    name_key        varchar(200) NOT NULL,
    kind            varchar(40) NOT NULL,
    country_code    varchar(2) NOT NULL,
    web_address     varchar(500) NULL,
    is_archived     boolean NOT NULL DEFAULT FALSE,
    version         integer NOT NULL,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    CONSTRAINT uq_organisations_name UNIQUE (country_code, name_key)
);

ALTER TABLE users ADD COLUMN organisation_id uuid NULL REFERENCES organisations (id);
CREATE INDEX ix_users_organisation ON users (organisation_id);
