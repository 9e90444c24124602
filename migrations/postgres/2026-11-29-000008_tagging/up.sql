-- The annex items suggested when the practice was saved, with their scores
-- and reasons (JSON): what the editor was shown, kept so that how often the
-- top suggestion was accepted can be measured.
ALTER TABLE practices ADD COLUMN suggested_items TEXT NOT NULL DEFAULT '[]';
