DROP INDEX outbox_by_recipient;
ALTER TABLE subscriptions DROP COLUMN link_nonce;
