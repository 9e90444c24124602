-- A subscription's links name its present nonce, which a new request and
-- unsubscribing replace: an earlier confirmation link confirms nothing,
-- and a link works once.
ALTER TABLE subscriptions ADD COLUMN link_nonce TEXT NOT NULL DEFAULT '';
-- Confirmation mails are counted per recipient and day, whoever asks.
CREATE INDEX outbox_by_recipient ON outbox (recipient, kind, created_at);
