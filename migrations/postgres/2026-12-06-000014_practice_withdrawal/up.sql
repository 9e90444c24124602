-- A practice an editor took out of the catalogue: when and why. It stays
-- with its submission (and its history); readers are told it was
-- withdrawn and why (410), search and new compilations leave it out.
ALTER TABLE practices ADD COLUMN withdrawn_at TIMESTAMP;
ALTER TABLE practices ADD COLUMN withdrawn_reason TEXT;
