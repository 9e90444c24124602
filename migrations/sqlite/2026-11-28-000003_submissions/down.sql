DROP TABLE catalogue_changes;
DROP TABLE idempotency_keys;
DROP TABLE submission_events;
DROP TABLE submission_versions;
DROP TABLE practices;
DROP TABLE submissions;
