-- The partner search's "N candidates found" at 100,000 companies (decision 0060).
--   company_counts  the companies per country. One trigger on companies adds delta rows per statement (grouped
--                   from deleted and inserted; countries whose count did not change add nothing), so concurrent
--                   transactions never update a shared counter row; the read sums them, and the hourly job
--                   fold-open-case-counts folds them into one row per country. Bulk loads must fire it
--                   (FIRE_TRIGGERS).
--   A search without filters but the countries counts from these rows instead of reading every company; a search
--   with a text, S3 area, region kind or NACE filter still counts the companies.

CREATE TABLE company_counts (
    country_code    char(2)        NOT NULL,
    companies       int            NOT NULL
);

INSERT INTO company_counts (country_code, companies)
SELECT country_code, COUNT(*) FROM companies GROUP BY country_code;
GO
CREATE TRIGGER tr_companies_counts ON companies AFTER INSERT, UPDATE, DELETE
AS
BEGIN
    SET NOCOUNT ON;
    INSERT INTO company_counts (country_code, companies)
    SELECT country_code, SUM(n)
    FROM (SELECT country_code, -1 AS n FROM deleted UNION ALL SELECT country_code, 1 FROM inserted) d
    GROUP BY country_code
    HAVING SUM(n) <> 0;
END;
