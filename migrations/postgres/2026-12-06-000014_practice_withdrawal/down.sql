ALTER TABLE practices DROP COLUMN withdrawn_reason;
ALTER TABLE practices DROP COLUMN withdrawn_at;
