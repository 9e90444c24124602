-- `compendium reindex` while servers run: a request every replica's
-- indexer honours by rebuilding its index aside and switching to it; each
-- replica that has counts itself in `completed`, which the command waits on.
CREATE TABLE index_rebuilds (
    generation BIGINT PRIMARY KEY,
    requested_at TIMESTAMP NOT NULL,
    completed BIGINT NOT NULL DEFAULT 0
);
