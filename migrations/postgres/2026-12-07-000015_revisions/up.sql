-- A revision: a submission that corrects an accepted one (`revises`). It
-- follows the workflow on its own while the accepted version stays public;
-- once accepted, its practices replace the original's in place
-- (`replaces`: the published practice each one corrects), so the public
-- practices keep their ids and links. Its own rows never enter the
-- catalogue.
ALTER TABLE submissions ADD COLUMN revises TEXT;
ALTER TABLE practices ADD COLUMN replaces TEXT;
-- "Is a revision of this one open?" is asked on every revise and page.
CREATE INDEX submissions_by_revised ON submissions (revises);
