-- Submissions of best practices and their editorial workflow.
CREATE TABLE submissions (
    id             TEXT PRIMARY KEY NOT NULL,
    entity         TEXT NOT NULL,
    language       TEXT NOT NULL,
    title          TEXT NOT NULL,
    summary        TEXT,
    status         TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'changes_requested', 'accepted', 'rejected', 'withdrawn')),
    version        BIGINT NOT NULL,
    created_by     TEXT REFERENCES users (id),
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL,
    submitted_at   TIMESTAMP,
    decided_at     TIMESTAMP,
    -- The editor's last request for changes, shown to the focal point.
    editor_message TEXT,
    -- The note of an acceptance or the reason of a rejection.
    decision_note  TEXT
);
CREATE INDEX submissions_by_entity ON submissions (entity, id);
CREATE INDEX submissions_by_status ON submissions (status, id);

CREATE TABLE practices (
    id             TEXT PRIMARY KEY NOT NULL,
    submission_id  TEXT NOT NULL REFERENCES submissions (id),
    position       BIGINT NOT NULL,
    title          TEXT NOT NULL,
    body           TEXT NOT NULL,
    -- JSON arrays: annex item numbers, sector names.
    items          TEXT NOT NULL,
    sectors        TEXT NOT NULL,
    editorial_note TEXT,
    updated_at     TIMESTAMP NOT NULL
);
CREATE INDEX practices_by_submission ON practices (submission_id, position);

-- Every saved state of a submission, exactly as the API showed it.
CREATE TABLE submission_versions (
    submission_id TEXT NOT NULL REFERENCES submissions (id),
    version       BIGINT NOT NULL,
    status        TEXT NOT NULL,
    saved_at      TIMESTAMP NOT NULL,
    document      TEXT NOT NULL,
    PRIMARY KEY (submission_id, version)
);

-- The audit trail of a submission.
CREATE TABLE submission_events (
    id            TEXT PRIMARY KEY NOT NULL,
    submission_id TEXT NOT NULL REFERENCES submissions (id),
    at            TIMESTAMP NOT NULL,
    actor_id      TEXT REFERENCES users (id),
    actor         TEXT NOT NULL,
    action        TEXT NOT NULL,
    from_status   TEXT,
    to_status     TEXT,
    message       TEXT
);
CREATE INDEX submission_events_by_submission ON submission_events (submission_id, id);

-- The first answer to a create, replayed to retries with the same key.
CREATE TABLE idempotency_keys (
    user_id      TEXT NOT NULL,
    key          TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status_code  BIGINT NOT NULL,
    location     TEXT,
    etag         TEXT,
    body         TEXT NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    PRIMARY KEY (user_id, key)
);
CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_at);

-- Each change of the public catalogue, in order: the search index follows it.
CREATE TABLE catalogue_changes (
    seq           INTEGER PRIMARY KEY AUTOINCREMENT,
    practice_id   TEXT NOT NULL,
    submission_id TEXT NOT NULL,
    change        TEXT NOT NULL CHECK (change IN ('upsert', 'remove')),
    at            TIMESTAMP NOT NULL
);
