-- Self-assessments of Member States against the annex (operative
-- paragraph 1): one per State and year. The eighteen answers are one JSON
-- document: they are read, saved and versioned together, and never
-- queried one by one.
CREATE TABLE assessments (
    id           TEXT PRIMARY KEY NOT NULL,
    entity       TEXT NOT NULL,
    year         BIGINT NOT NULL,
    language     TEXT NOT NULL,
    status       TEXT NOT NULL,
    shared       BOOLEAN NOT NULL DEFAULT FALSE,
    version      BIGINT NOT NULL,
    created_by   TEXT REFERENCES users (id),
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    completed_at TIMESTAMP,
    -- When the State's focal points were reminded, a year after
    -- completion, to assess again (once).
    reminded_at  TIMESTAMP,
    answers      TEXT NOT NULL,
    UNIQUE (entity, year)
);

-- Every saved state, as answered then.
CREATE TABLE assessment_versions (
    assessment_id TEXT NOT NULL REFERENCES assessments (id),
    version       BIGINT NOT NULL,
    saved_at      TIMESTAMP NOT NULL,
    document      TEXT NOT NULL,
    PRIMARY KEY (assessment_id, version)
);

-- Who did what to an assessment.
CREATE TABLE assessment_events (
    id            TEXT PRIMARY KEY NOT NULL,
    assessment_id TEXT NOT NULL REFERENCES assessments (id),
    at            TIMESTAMP NOT NULL,
    actor_id      TEXT REFERENCES users (id),
    actor         TEXT NOT NULL,
    action        TEXT NOT NULL,
    message       TEXT
);
CREATE INDEX assessment_events_by_assessment ON assessment_events (assessment_id, id);
