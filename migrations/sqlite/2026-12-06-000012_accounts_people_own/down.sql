ALTER TABLE users DROP COLUMN link_nonce;
ALTER TABLE users DROP COLUMN tokens_valid_after;
