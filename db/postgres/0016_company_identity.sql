-- Company identity and programme compliance (decision 0025).
--   companies.register_number  the business-register or VAT number, normalised by the application (RegisterNumbers):
--                              unique per country; NULL when not known. size_class keeps its name and now holds the
--                              organisation type (micro, small, medium, large, research, public-body, business-support, ngo).
--   company_merges             a company merged into another: its id, the surviving company's id (kept current when
--                              the survivor is itself merged later), what it was called and who merged it when. Case
--                              events are never changed; their company ids resolve to the survivor through this table.
--   company_de_minimis         de minimis aid declared for a company (Regulation (EU) 2023/2831): the date it was
--                              granted, the granting body and the amount in euro cents (exact sums on every provider).

ALTER TABLE companies ADD COLUMN register_number varchar(40) NULL;
CREATE UNIQUE INDEX ux_companies_register_number ON companies (country_code, register_number) WHERE register_number IS NOT NULL;

CREATE TABLE company_merges (
    merged_company_id    uuid     NOT NULL PRIMARY KEY,
    survivor_company_id  uuid     NOT NULL REFERENCES companies (id),
    merged_name          varchar(300)    NOT NULL,
    merged_country_code  char(2)    NOT NULL,
    merged_register_number varchar(40)  NULL,
    merged_by            uuid     NULL REFERENCES users (id),
    merged_at            timestamptz    NOT NULL
);
CREATE INDEX ix_company_merges_survivor ON company_merges (survivor_company_id);

CREATE TABLE company_de_minimis (
    id                   uuid     NOT NULL PRIMARY KEY,
    company_id           uuid     NOT NULL REFERENCES companies (id),
    granted_on           date     NOT NULL,
    granting_body        varchar(300)    NOT NULL,
    amount_cents         bigint   NOT NULL,
    description          varchar(1000)    NULL,
    recorded_by          uuid     NULL REFERENCES users (id),
    recorded_at          timestamptz    NOT NULL
);
CREATE INDEX ix_company_de_minimis_company ON company_de_minimis (company_id, granted_on);
