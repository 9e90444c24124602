-- The last catalogue change a draft's assembly had seen: what reassembling
-- would change is then found among the practices changed after it, not by
-- assembling the whole scope again. 0 (before any change) makes the first
-- comparison of an older draft a full one.
ALTER TABLE compilations ADD COLUMN assembled_through BIGINT NOT NULL DEFAULT 0;
-- Comparing a draft with the catalogue reads the entries of the practices
-- changed since its assembly.
CREATE INDEX compilation_entries_by_practice ON compilation_entries (compilation_id, practice_id);
