-- Accounts. Emails are stored lower-cased, so UNIQUE compares them
-- case-insensitively. A focal point is bound to one entity; the rule is
-- enforced here too, in case a script writes to the database directly.
CREATE TABLE users (
    id            TEXT PRIMARY KEY NOT NULL,
    email         TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('focal_point', 'editor', 'admin')),
    entity        TEXT,
    password_hash TEXT NOT NULL,
    disabled      BOOLEAN NOT NULL DEFAULT FALSE,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    CHECK ((role = 'focal_point') = (entity IS NOT NULL))
);

-- Long-lived tokens for machine clients. The token itself is never stored:
-- its id is the JWT's jti, checked on every request.
CREATE TABLE api_tokens (
    id         TEXT PRIMARY KEY NOT NULL,
    user_id    TEXT NOT NULL REFERENCES users (id),
    name       TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP
);
CREATE INDEX api_tokens_by_user ON api_tokens (user_id, id);

-- What administrators did: who, when, what, and the record before and after.
CREATE TABLE admin_audit (
    id          TEXT PRIMARY KEY NOT NULL,
    at          TIMESTAMP NOT NULL,
    actor_id    TEXT REFERENCES users (id),
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,
    target_type TEXT NOT NULL,
    target_id   TEXT NOT NULL,
    before_json TEXT,
    after_json  TEXT
);
CREATE INDEX admin_audit_by_target ON admin_audit (target_type, target_id);
