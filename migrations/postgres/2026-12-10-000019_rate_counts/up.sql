-- Rate limits shared by the replicas (sign-in failures, mail to strangers,
-- writes per account): events per key per minute (see domain::rate).
-- Unlogged: a count lost in a crash costs nothing, and writing no WAL for
-- it keeps the limit cheap on every write request.
CREATE UNLOGGED TABLE rate_counts (
    throttle TEXT NOT NULL,
    key TEXT NOT NULL,
    -- Minutes since the Unix epoch.
    minute BIGINT NOT NULL,
    count BIGINT NOT NULL,
    PRIMARY KEY (throttle, key, minute)
);
