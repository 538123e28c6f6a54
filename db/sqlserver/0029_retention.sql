-- Retention (decision 0044).
--   retention_reports  one dry run of the retention rules: when, by whom (NULL: the nightly job), how many items of
--                      each category were due, and the items themselves as JSON of ids only (never names: a report
--                      must not become another copy of the data it erases). applied_at/applied_by/outcome record the
--                      application of exactly those items, each checked again for being due.
--   case_attachments   removed_at: the file was removed then under the retention rule; the row (name, size, SHA-256)
--                      stays so that the case and its audit trail still say what was attached.
--   cases              personal_data_erased_at: the retention rule for closed strategies erased what personal data
--                      the case still held then.

CREATE TABLE retention_reports (
    id              uniqueidentifier NOT NULL PRIMARY KEY,
    created_at      datetimeoffset(7) NOT NULL,
    created_by      uniqueidentifier NULL,
    contacts        int NOT NULL,
    attachments     int NOT NULL,
    strategies      int NOT NULL,
    sessions        int NOT NULL,
    items           nvarchar(max) NOT NULL,
    applied_at      datetimeoffset(7) NULL,
    applied_by      uniqueidentifier NULL,
    outcome         nvarchar(4000) NULL
);
CREATE INDEX ix_retention_reports_created ON retention_reports (created_at);

ALTER TABLE case_attachments ADD removed_at datetimeoffset(7) NULL;
ALTER TABLE cases ADD personal_data_erased_at datetimeoffset(7) NULL;
