ALTER TABLE users DROP COLUMN announcements;
