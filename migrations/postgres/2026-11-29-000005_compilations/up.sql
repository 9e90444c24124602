-- Compilations of accepted practices: drafts that editors assemble and
-- reassemble, and published editions, numbered YYYY/N and frozen.
CREATE TABLE compilations (
    id            TEXT PRIMARY KEY NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('draft', 'published')),
    title         TEXT NOT NULL,
    introduction  TEXT,
    -- JSON: {from?, to?, sections?, entity_types?}
    scope         TEXT NOT NULL,
    -- JSON arrays of practice ids: left out by the editors; in scope but
    -- without an annex item to stand under (at the last assembly).
    excluded      TEXT NOT NULL,
    untagged      TEXT NOT NULL,
    entries_count BIGINT NOT NULL,
    -- Counts every change, for ETag and If-Match.
    version       BIGINT NOT NULL,
    edition_year  BIGINT,
    edition_rank  BIGINT,
    created_by    TEXT REFERENCES users (id),
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    assembled_at  TIMESTAMP NOT NULL,
    published_at  TIMESTAMP,
    published_by  TEXT REFERENCES users (id),
    -- Two editions never share a number, even when published at once.
    UNIQUE (edition_year, edition_rank),
    CHECK ((status = 'published') = (edition_rank IS NOT NULL))
);
CREATE INDEX compilations_by_status ON compilations (status, id);

-- The entries of a compilation as they were when it was last assembled
-- (a draft) or published (an edition: never changed again).
CREATE TABLE compilation_entries (
    compilation_id     TEXT NOT NULL REFERENCES compilations (id),
    position           BIGINT NOT NULL,
    item               BIGINT NOT NULL,
    practice_id        TEXT NOT NULL,
    title              TEXT NOT NULL,
    body               TEXT NOT NULL,
    -- JSON array of the practice's annex item numbers.
    items              TEXT NOT NULL,
    submission_id      TEXT NOT NULL,
    submission_version BIGINT NOT NULL,
    entity             TEXT NOT NULL,
    entity_name        TEXT NOT NULL,
    entity_type        TEXT NOT NULL,
    language           TEXT NOT NULL,
    received_at        TIMESTAMP NOT NULL,
    accepted_at        TIMESTAMP NOT NULL,
    PRIMARY KEY (compilation_id, position)
);
