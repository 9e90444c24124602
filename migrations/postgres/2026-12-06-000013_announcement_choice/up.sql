-- Whether a focal point is mailed the announcement of each new
-- compilation (subscribers choose by subscribing; accounts by this).
ALTER TABLE users ADD COLUMN announcements BOOLEAN NOT NULL DEFAULT TRUE;
