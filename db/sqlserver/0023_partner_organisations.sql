-- Partner organisations (decision 0038).
--   organisations        the programme's partner organisations: name, kind, country, optional web address, archived
--                        or not. name_key is the name folded for comparison (trimmed, lower case): a name is unique
--                        within its country. version grows with every change (optimistic concurrency of the edit form).
--   users.organisation_id the one organisation a user belongs to; NULL for users from before this script until an
--                        administrator sets it. ix_users_organisation serves the users list's filter and the case
--                        list's "Organisation" filter (cases whose owner belongs to it, through ix_cases_owner).

CREATE TABLE organisations (
    id              uniqueidentifier NOT NULL PRIMARY KEY,
    name            nvarchar(200) NOT NULL,
    name_key        nvarchar(200) NOT NULL,
    kind            nvarchar(40) NOT NULL,
    country_code    nvarchar(2) NOT NULL,
    web_address     nvarchar(500) NULL,
    is_archived     bit NOT NULL DEFAULT 0,
    version         int NOT NULL,
    created_at      datetimeoffset(7) NOT NULL,
    updated_at      datetimeoffset(7) NOT NULL,
    CONSTRAINT uq_organisations_name UNIQUE (country_code, name_key)
);

ALTER TABLE users ADD organisation_id uniqueidentifier NULL CONSTRAINT fk_users_organisation REFERENCES organisations (id);
CREATE INDEX ix_users_organisation ON users (organisation_id);
GO
