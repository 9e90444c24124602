DROP INDEX compilation_entries_by_practice;
ALTER TABLE compilations DROP COLUMN assembled_through;
