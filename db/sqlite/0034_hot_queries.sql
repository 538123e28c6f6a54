-- The hot queries at a million cases (decision 0051).
--   Case list: newest first (opened_at DESC, id DESC) with keyset paging; one index per filter that leads with the
--   filtered column and ends with the sort, so a page reads 25 index entries whatever the table size
--   (ix_cases_opened for no filter, then status, region, owner, step, stage). ix_cases_lead_company joins the lead
--   company's name search back to its cases.
--   Coordinator overview: ix_cases_open_counts covers the counts of open cases by region, version and step (read
--   from the index alone); ix_reminders_escalation finds the sent escalations.
--   My work: recent activity reads case_events newest first through ix_case_events_occurred.
--   Partner matching: the S3 areas and NACE codes of the case find their companies through the code first.
--   Text search stays LIKE '%term%' over the folded keys (decision 0008), which reads every key of the table.

CREATE INDEX ix_cases_opened ON cases (opened_at, id);
CREATE INDEX ix_cases_status_opened ON cases (status, opened_at, id);
CREATE INDEX ix_cases_region_opened ON cases (region_code, opened_at, id);
CREATE INDEX ix_cases_owner_opened ON cases (owner_user_id, opened_at, id);
CREATE INDEX ix_cases_step_opened ON cases (current_step, opened_at, id);
CREATE INDEX ix_cases_stage_opened ON cases (current_stage, opened_at, id);
CREATE INDEX ix_cases_lead_company ON cases (lead_company_id);
CREATE INDEX ix_cases_open_counts ON cases (status, region_code, definition_version_id, current_step, step_due_at);
CREATE INDEX ix_case_events_occurred ON case_events (occurred_at);
CREATE INDEX ix_reminders_escalation ON reminders (kind, status, case_step_id);
CREATE INDEX ix_company_s3_areas_code ON company_s3_areas (s3_code, company_id);
CREATE INDEX ix_company_nace_codes_code ON company_nace_codes (nace_code, company_id);
