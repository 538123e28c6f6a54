-- Drafts of step and check-in forms: personal working data of one user on one case, outside the audit trail. One row
-- per user, case and form (form_key: 'step:<step>' or 'check-in:<check-in>:<occurrence>'); data holds the typed
-- values as posted (a JSON object of field name to list of strings). A completion removes its author's draft in the
-- same transaction; closing the case removes every draft of it.

CREATE TABLE case_drafts (
    id              uniqueidentifier   NOT NULL PRIMARY KEY,
    case_id         uniqueidentifier   NOT NULL REFERENCES cases (id),
    user_id         uniqueidentifier   NOT NULL REFERENCES users (id),
    form_key        nvarchar(400)      NOT NULL,
    step_key        nvarchar(200)      NOT NULL,
    data            nvarchar(max)      NOT NULL,
    saved_at        datetimeoffset(7)  NOT NULL
);
CREATE UNIQUE INDEX ux_case_drafts_form ON case_drafts (case_id, user_id, form_key);
