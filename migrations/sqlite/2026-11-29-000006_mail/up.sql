-- Mail leaves through an outbox: the transaction that causes a mail writes
-- its row; a worker composes and sends it, retrying with backoff, and marks
-- it sent. A row that keeps failing becomes dead, for an admin to retry.
CREATE TABLE outbox (
    id              TEXT PRIMARY KEY NOT NULL,
    -- changes_requested, accepted, rejected, new_submission, …
    kind            TEXT NOT NULL,
    recipient       TEXT NOT NULL,
    language        TEXT NOT NULL,
    -- JSON: what the message says (titles, links, notes).
    payload         TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'dead')),
    attempts        BIGINT NOT NULL,
    next_attempt_at TIMESTAMP NOT NULL,
    -- While sending: until when the claim holds (a crashed worker's claim lapses).
    claimed_until   TIMESTAMP,
    last_error      TEXT,
    created_at      TIMESTAMP NOT NULL,
    sent_at         TIMESTAMP
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
