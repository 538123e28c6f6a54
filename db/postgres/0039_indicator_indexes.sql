-- The programme indicators at a million cases (decision 0051).
--   Milestones (found eligible, agreement signed, evaluated at the close): the steps of those keys and outcomes are
--   one index range each, so the indicators read the cases that reached a milestone, not every step.
--   Time per stage: the completed steps that belong to a stage, in completion order (a partial index: the open steps
--   and the steps outside a stage are not in it).
--   Strategies per year: each year is a count of an index range: the opened cases on ix_cases_opened_at (the opening
--   time alone, about half the pages of ix_cases_opened, which also holds the id), the closed cases by how they ended
--   and when on ix_cases_closed.
CREATE INDEX ix_case_steps_milestones ON case_steps (step_key, outcome, completed_at, case_id);
CREATE INDEX ix_case_steps_stage_completed ON case_steps (completed_at, stage_key, case_id) WHERE completed_at IS NOT NULL AND stage_key IS NOT NULL;
CREATE INDEX ix_cases_opened_at ON cases (opened_at);
CREATE INDEX ix_cases_closed ON cases (status, current_step, closed_at);
