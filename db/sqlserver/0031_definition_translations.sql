-- Translations of published definition versions (decision 0046).
--   workflow_translations  one language's texts of one version: the sidecar as written (YAML keyed by the version's ids),
--                          who changed it last and when. Not part of the version's content hash: a translation is
--                          corrected without a new version. English is the version itself and has no row.

CREATE TABLE workflow_translations (
    version_id      uniqueidentifier NOT NULL REFERENCES workflow_versions (id),
    language        nvarchar(10) NOT NULL,
    content         nvarchar(max) NOT NULL,
    updated_at      datetimeoffset(7) NOT NULL,
    updated_by      uniqueidentifier NULL REFERENCES users (id),
    row_version     int NOT NULL DEFAULT 1,
    CONSTRAINT pk_workflow_translations PRIMARY KEY (version_id, language)
);
GO
