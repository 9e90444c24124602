-- OAI-PMH answers GetRecord with a practice's latest change: found by
-- practice, not by reading the whole log.
CREATE INDEX catalogue_changes_by_practice ON catalogue_changes (practice_id, seq);
