-- Case- and accent-insensitive search. Company names, case titles and references are searched through folded keys
-- (lower case, accents removed, ł → l, ß → ss, æ → ae, ø → o …) that the application computes once with
-- SearchText.Fold and writes on every insert and update, so that "KOKAPSTRĀDE" and "kokapstrade" both find
-- "SIA Gaujas Kokapstrāde" on every provider. Existing rows are filled in by the application right after the
-- schema scripts ran (SQL cannot fold the same way on all three providers).
--   companies.search_name  the folded name (case list, partner search by name)
--   companies.search_text  the folded name, keywords, offers and needs (company list, partner search text)
--   cases.search_text      the folded reference and title (case list)

ALTER TABLE companies ADD COLUMN search_name varchar(800) NULL;
ALTER TABLE companies ADD COLUMN search_text text NULL;
ALTER TABLE cases ADD COLUMN search_text varchar(800) NULL;
CREATE INDEX ix_companies_search_name ON companies (search_name);
CREATE INDEX ix_cases_search_text ON cases (search_text);
