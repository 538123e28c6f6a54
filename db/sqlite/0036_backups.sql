-- Backups (decision 0055).
--   backup_runs   one row per backup asked for (an administrator's "Back up now", the schedule, the command line): who
--                 asked (in words), when, when it started and finished, its status (queued, running, done, failed), the
--                 archive's file name and size, whether reading it back checked every file, and what happened in words.

CREATE TABLE backup_runs (
    id              TEXT          NOT NULL PRIMARY KEY,
    requested_by    TEXT          NOT NULL,
    requested_at    TEXT          NOT NULL,
    started_at      TEXT          NULL,
    finished_at     TEXT          NULL,
    status          TEXT          NOT NULL,
    file_name       TEXT          NULL,
    size_bytes      INTEGER       NULL,
    verified        INTEGER       NOT NULL,
    message         TEXT          NULL
);
CREATE INDEX ix_backup_runs_requested ON backup_runs (requested_at);
