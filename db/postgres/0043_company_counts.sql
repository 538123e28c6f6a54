-- The partner search's "N candidates found" at 100,000 companies (decision 0060).
--   company_counts  the companies per country. Statement-level triggers on companies add delta rows (+n for
--                   companies entering a country, -n for those leaving it; an update that moves no company adds
--                   nothing), so concurrent transactions never update a shared counter row; the read sums them, and
--                   the hourly job fold-open-case-counts folds them into one row per country.
--   A search without filters but the countries counts from these rows instead of reading every company; a search
--   with a text, S3 area, region kind or NACE filter still counts the companies.

CREATE TABLE company_counts (
    country_code    char(2)       NOT NULL,
    companies       integer       NOT NULL
);

INSERT INTO company_counts (country_code, companies)
SELECT country_code, COUNT(*) FROM companies GROUP BY country_code;

CREATE FUNCTION company_counts_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO company_counts (country_code, companies)
        SELECT country_code, COUNT(*) FROM new_rows GROUP BY country_code;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO company_counts (country_code, companies)
        SELECT country_code, -COUNT(*) FROM old_rows GROUP BY country_code;
    ELSE
        INSERT INTO company_counts (country_code, companies)
        SELECT country_code, SUM(n)
        FROM (SELECT country_code, -1 AS n FROM old_rows UNION ALL SELECT country_code, 1 FROM new_rows) d
        GROUP BY country_code
        HAVING SUM(n) <> 0;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER tr_companies_counts_insert AFTER INSERT ON companies REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION company_counts_changed();
CREATE TRIGGER tr_companies_counts_delete AFTER DELETE ON companies REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION company_counts_changed();
CREATE TRIGGER tr_companies_counts_update AFTER UPDATE ON companies REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION company_counts_changed();
