-- The partner search's "N candidates found" at 100,000 companies (decision 0060).
--   company_counts  the companies per country. Triggers on companies add delta rows (+1 for a company entering a
--                   country, -1 for one leaving it); the read sums them, and the hourly job fold-open-case-counts
--                   folds them into one row per country.
--   A search without filters but the countries counts from these rows instead of reading every company; a search
--   with a text, S3 area, region kind or NACE filter still counts the companies.

CREATE TABLE company_counts (
    country_code    TEXT          NOT NULL,
    companies       INTEGER       NOT NULL
);

INSERT INTO company_counts (country_code, companies)
SELECT country_code, COUNT(*) FROM companies GROUP BY country_code;

CREATE TRIGGER tr_companies_counts_insert AFTER INSERT ON companies FOR EACH ROW
BEGIN
    INSERT INTO company_counts (country_code, companies) VALUES (NEW.country_code, 1);
END;

CREATE TRIGGER tr_companies_counts_delete AFTER DELETE ON companies FOR EACH ROW
BEGIN
    INSERT INTO company_counts (country_code, companies) VALUES (OLD.country_code, -1);
END;

CREATE TRIGGER tr_companies_counts_update AFTER UPDATE OF country_code ON companies FOR EACH ROW
    WHEN OLD.country_code <> NEW.country_code
BEGIN
    INSERT INTO company_counts (country_code, companies) VALUES (OLD.country_code, -1);
    INSERT INTO company_counts (country_code, companies) VALUES (NEW.country_code, 1);
END;
