-- Absences and deputies (decision 0041).
--   user_absences  a period (calendar days in UTC, both inclusive) in which a user is away, and the user who deputises
--                  for them: while it is current, the reminders and escalations addressed to the absent user reach the
--                  deputy as well, and the deputy's "My work" lists what waits for the absent user. Who recorded it
--                  (the user themselves or an administrator) and when. Ending one early moves ends_on; a future one is
--                  deleted. Every change is in the administration log.

CREATE TABLE user_absences (
    id              TEXT NOT NULL PRIMARY KEY,
    user_id         TEXT NOT NULL REFERENCES users (id),
    deputy_user_id  TEXT NOT NULL REFERENCES users (id),
    starts_on       TEXT NOT NULL,
    ends_on         TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    created_by      TEXT NULL
);
CREATE INDEX ix_user_absences_user ON user_absences (user_id, ends_on);
CREATE INDEX ix_user_absences_deputy ON user_absences (deputy_user_id, ends_on);
