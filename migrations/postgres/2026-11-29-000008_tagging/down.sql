ALTER TABLE practices DROP COLUMN suggested_items;
