-- Notifications in the reader's language (decision 0048).
--   notifications.template  the notification's title and body as message keys (the English format texts, which are
--                           the keys of Core's Messages resources) with typed parameters, as JSON; rendered in the
--                           reader's language and time zone when shown or e-mailed. NULL for rows written before:
--                           they are shown as stored. title and body keep the English rendering for search and
--                           readers that do not render.

ALTER TABLE notifications ADD COLUMN template text NULL;
