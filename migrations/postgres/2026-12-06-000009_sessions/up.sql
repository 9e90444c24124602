-- Desk sessions, kept on the server so that signing out, disabling an
-- account, changing its role or its password ends them at once. The
-- cookie holds a random secret; only its SHA-256 is stored, so a copy of
-- the database opens no session. Each session has its own CSRF token.
CREATE TABLE sessions (
    id           TEXT PRIMARY KEY NOT NULL,
    user_id      TEXT NOT NULL REFERENCES users (id),
    csrf_token   TEXT NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id);
CREATE INDEX sessions_by_last_seen ON sessions (last_seen_at);
