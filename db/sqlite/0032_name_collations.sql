-- Names sorted in the alphabet of the user's language (decision 0047).
--   SQLite has no collations of languages: the application registers tibs_en ... tibs_sv on every connection it
--   opens (NameCollations), and lists sorted by name order by name COLLATE tibs_<language>, id. Nothing is stored:
--   an index on such a collation would make the table unwritable for any tool that does not register it (the sqlite3
--   shell, a backup script), so the list sorts what its filters leave.

SELECT 1;
