-- Names sorted in the alphabet of the user's language (decision 0047).
--   SQL Server has collations of the languages built in (Lithuanian_100_CI_AS, Estonian_100_CI_AS, ...): lists sorted
--   by name order by name COLLATE <the language's collation>, id. Nothing is stored: an index in another collation
--   than the column's would need a computed column per language; the list sorts what its filters leave.

SELECT 1;
