-- The case list's "Escalated only" filter (decision 0066, later note) pages the escalated cases newest first: the
-- escalated cases alone (about one open case in a hundred) in the list's order, instead of every case of the status.
CREATE INDEX ix_cases_escalated_opened ON cases (status, opened_at, id) WHERE open_escalations > 0;
