-- Backups (decision 0055).
--   backup_runs   one row per backup asked for (an administrator's "Back up now", the schedule, the command line): who
--                 asked (in words), when, when it started and finished, its status (queued, running, done, failed), the
--                 archive's file name and size, whether reading it back checked every file, and what happened in words.
--                 Backups through the application are of the embedded SQLite database; the table exists on every
--                 provider so the schema stays the same (PostgreSQL is backed up with pg_dump, see the README).

CREATE TABLE backup_runs (
    id              uuid          NOT NULL PRIMARY KEY,
    requested_by    varchar(200)  NOT NULL,
    requested_at    timestamptz   NOT NULL,
    started_at      timestamptz   NULL,
    finished_at     timestamptz   NULL,
    status          varchar(20)   NOT NULL,
    file_name       varchar(200)  NULL,
    size_bytes      bigint        NULL,
    verified        boolean       NOT NULL,
    message         varchar(4000) NULL
);
CREATE INDEX ix_backup_runs_requested ON backup_runs (requested_at);
