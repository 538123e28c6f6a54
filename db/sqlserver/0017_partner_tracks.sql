-- Parallel partner tracks (decision 0030).
--   case_tracks         one track per (case, step record, partner participant) of a step that runs tracks: its state
--                       (a state or end key of the definition's tracks), status (open, ended, cancelled), its own
--                       version (each track action is its own transaction, guarded by it), the performer's role and
--                       region (the partner's), when it started, is due and ended.
--   reminders.case_track_id  the track a reminder belongs to (its performer receives it); NULL for a step's reminders.

CREATE TABLE case_tracks (
    id              uniqueidentifier NOT NULL PRIMARY KEY,
    case_id         uniqueidentifier NOT NULL REFERENCES cases (id),
    case_step_id    uniqueidentifier NOT NULL REFERENCES case_steps (id),
    participant_id  uniqueidentifier NOT NULL REFERENCES case_participants (id),
    step_key        nvarchar(100) NOT NULL,
    state           nvarchar(100) NOT NULL,
    status          nvarchar(20) NOT NULL,
    version         int      NOT NULL,
    performer_role  nvarchar(40) NOT NULL,
    region_code     nvarchar(20) NOT NULL,
    started_at      datetimeoffset(7) NOT NULL,
    due_at          datetimeoffset(7) NULL,
    ended_at        datetimeoffset(7) NULL,
    updated_at      datetimeoffset(7) NOT NULL,
    CONSTRAINT uq_case_tracks UNIQUE (case_step_id, participant_id)
);
CREATE INDEX ix_case_tracks_case ON case_tracks (case_id);
CREATE INDEX ix_case_tracks_region_open ON case_tracks (region_code, status);

ALTER TABLE reminders ADD case_track_id uniqueidentifier NULL REFERENCES case_tracks (id);
