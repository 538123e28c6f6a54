-- Partner matching scored in SQL (decision 0051).
--   company_match_terms   the words of a company that the match score compares, as the application turns text into
--                         terms (lower case, stop-words dropped, light stemming): kind 'offer' (offers and keywords)
--                         and 'need' (needs). Written with the company in the same transaction; the partner search
--                         counts a candidate's terms among the case's terms instead of reading every candidate's text.
--   companies.match_codes the company's S3 areas, NACE divisions and sections and languages as the score reads them,
--                         each between spaces (" s3:bioeconomy nd:C16 ns:C lang:en "): one substring test per code of the case,
--                         no join or grouping over codes most companies share.
--   companies.match_terms_version   the version of the rules the row's terms and codes were computed with; rows written
--                         before (NULL) or with older rules get theirs when the application starts.
--   ix_company_match_terms_term   finds the companies with one of the case's terms.

CREATE TABLE company_match_terms (
    company_id      uuid          NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
    kind            varchar(20)   NOT NULL,
    term            varchar(100)  NOT NULL,
    PRIMARY KEY (company_id, kind, term)
);
CREATE INDEX ix_company_match_terms_term ON company_match_terms (kind, term, company_id);

ALTER TABLE companies ADD COLUMN match_terms_version integer NULL;
ALTER TABLE companies ADD COLUMN match_codes text NULL;
