-- Change notes of definition versions (decision 0032).
--   workflow_versions.change_note  what changed in the version and why, in the words of the coordinator who published
--                                  it (required when publishing from the editor); NULL for versions published before
--                                  and for versions imported from files.

ALTER TABLE workflow_versions ADD change_note nvarchar(2000) NULL;
GO
