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
    ref             uuid NOT NULL,
    subject_kind    varchar(20) NOT NULL,
    subject_id      uuid NOT NULL,
    field           varchar(40) NOT NULL,
    case_id         uuid NULL,
    source          varchar(200) NOT NULL,
    value           text NULL,
    salt            varchar(64) NULL,
    commitment      varchar(64) NOT NULL,
    created_at      timestamptz NOT NULL,
    erased_at       timestamptz NULL,
    erasure_reason  varchar(500) NULL,
    CONSTRAINT pk_personal_data PRIMARY KEY (ref, subject_kind, subject_id)
);
CREATE INDEX ix_personal_data_subject ON personal_data (subject_kind, subject_id);

ALTER TABLE company_contacts ADD COLUMN consent_legal_basis varchar(40) NULL;
ALTER TABLE company_contacts ADD COLUMN erased_at timestamptz NULL;
ALTER TABLE case_notes ADD COLUMN erased_at timestamptz NULL;
