-- The same table as on PostgreSQL, so that both schemas stay one. A server
-- on SQLite is the only process that serves, and counts in memory; the
-- table stays empty.
CREATE TABLE rate_counts (
    throttle TEXT NOT NULL,
    key TEXT NOT NULL,
    minute BIGINT NOT NULL,
    count BIGINT NOT NULL,
    PRIMARY KEY (throttle, key, minute)
);
