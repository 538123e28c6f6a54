-- Languages and time zones (decision 0045).
--   users.language   the interface language the user chose (en, pl, lv, et, lt, fi, de, da, sv); NULL: the language
--                    their browser asks for (Accept-Language), then English. Supersedes users.culture, which was kept
--                    with a default of en and could not say "not chosen"; choices other than English are carried over.
--   users.time_zone  the time zone the user chose (IANA id such as Europe/Riga); NULL: the zone of their home region.
--                    Stored times stay UTC; only what is shown is converted.

ALTER TABLE users ADD COLUMN language varchar(10) NULL;
ALTER TABLE users ADD COLUMN time_zone varchar(64) NULL;
UPDATE users SET language = culture WHERE culture <> 'en';
