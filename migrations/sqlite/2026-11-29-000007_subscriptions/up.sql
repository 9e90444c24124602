-- Readers who asked for the compilations by mail. Confirmation and
-- unsubscribe links are signed, not stored: a link names the subscription
-- and carries a MAC (and, to confirm, an expiry).
CREATE TABLE subscriptions (
    id         TEXT PRIMARY KEY NOT NULL,
    email      TEXT NOT NULL UNIQUE,
    language   TEXT NOT NULL,
    -- JSON array of annex sections; empty means all.
    sections   TEXT NOT NULL,
    status     TEXT NOT NULL CHECK (status IN ('pending', 'confirmed', 'unsubscribed')),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX subscriptions_by_status ON subscriptions (status, id);
