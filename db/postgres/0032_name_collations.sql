-- Names sorted in the alphabet of the user's language (decision 0047).
--   tibs_en ... tibs_sv   ICU collations, one per language of the product. Lists sorted by name order by
--                         name COLLATE tibs_<language>, id, and continue after a cursor with the same collation.
--                         Deterministic (the default): names the language sorts alike are told apart by their bytes,
--                         so only identical names are equal and the keyset condition agrees with the order.
--   ix_companies_name_*   the company list in each order: the first page and each next one read 26 index entries
--                         instead of sorting the whole table (EXPLAIN shows an index scan starting at the cursor).

CREATE COLLATION IF NOT EXISTS tibs_en (provider = icu, locale = 'en');
CREATE COLLATION IF NOT EXISTS tibs_pl (provider = icu, locale = 'pl-PL');
CREATE COLLATION IF NOT EXISTS tibs_lv (provider = icu, locale = 'lv-LV');
CREATE COLLATION IF NOT EXISTS tibs_et (provider = icu, locale = 'et-EE');
CREATE COLLATION IF NOT EXISTS tibs_lt (provider = icu, locale = 'lt-LT');
CREATE COLLATION IF NOT EXISTS tibs_fi (provider = icu, locale = 'fi-FI');
CREATE COLLATION IF NOT EXISTS tibs_de (provider = icu, locale = 'de-DE');
CREATE COLLATION IF NOT EXISTS tibs_da (provider = icu, locale = 'da-DK');
CREATE COLLATION IF NOT EXISTS tibs_sv (provider = icu, locale = 'sv-SE');

CREATE INDEX ix_companies_name_en ON companies (name COLLATE tibs_en, id);
CREATE INDEX ix_companies_name_pl ON companies (name COLLATE tibs_pl, id);
CREATE INDEX ix_companies_name_lv ON companies (name COLLATE tibs_lv, id);
CREATE INDEX ix_companies_name_et ON companies (name COLLATE tibs_et, id);
CREATE INDEX ix_companies_name_lt ON companies (name COLLATE tibs_lt, id);
CREATE INDEX ix_companies_name_fi ON companies (name COLLATE tibs_fi, id);
CREATE INDEX ix_companies_name_de ON companies (name COLLATE tibs_de, id);
CREATE INDEX ix_companies_name_da ON companies (name COLLATE tibs_da, id);
CREATE INDEX ix_companies_name_sv ON companies (name COLLATE tibs_sv, id);
