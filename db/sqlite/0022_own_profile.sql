-- Users' own profile (decision 0037).
--   users.culture  the language a user chose for the interface, as a culture name (en, pl, lv, et, lt, fi, de, da, sv);
--                  the interface is in English for now, the choice is kept and shown.

ALTER TABLE users ADD COLUMN culture TEXT NOT NULL DEFAULT 'en';
