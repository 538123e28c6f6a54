-- Personal data (decision 0043).
--   personal_data        the vault: one row per piece of personal data and per person it is about (subject_kind
--                        contact or user, subject_id). ref is what an audit event carries instead of the value:
--                        {"$pd": ref, "c": commitment}, commitment = SHA-256 of salt and value, so the chain hashes the
--                        reference and the commitment only. A note marked "contains personal data of" two people has
--                        one ref and two rows. Erasure sets value and salt to NULL and keeps the row with when and why.
--   company_contacts     consent_legal_basis (the GDPR Article 6 basis recorded with the consent purpose) and
--                        erased_at (the contact person's personal fields were overwritten then).
--   case_notes           erased_at: the note's text was erased then (it named an erased person).

CREATE TABLE personal_data (
    ref             TEXT NOT NULL,
    subject_kind    TEXT NOT NULL,
    subject_id      TEXT NOT NULL,
    field           TEXT NOT NULL,
    case_id         TEXT NULL,
    source          TEXT NOT NULL,
    value           TEXT NULL,
    salt            TEXT NULL,
    commitment      TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    erased_at       TEXT NULL,
    erasure_reason  TEXT NULL,
    PRIMARY KEY (ref, subject_kind, subject_id)
);
CREATE INDEX ix_personal_data_subject ON personal_data (subject_kind, subject_id);

ALTER TABLE company_contacts ADD COLUMN consent_legal_basis TEXT NULL;
ALTER TABLE company_contacts ADD COLUMN erased_at TEXT NULL;
ALTER TABLE case_notes ADD COLUMN erased_at TEXT NULL;
