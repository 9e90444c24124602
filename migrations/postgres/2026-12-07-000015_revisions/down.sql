DROP INDEX submissions_by_revised;
ALTER TABLE practices DROP COLUMN replaces;
ALTER TABLE submissions DROP COLUMN revises;
