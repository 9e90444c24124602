-- Always empty. On SQLite a write transaction starts by deleting nothing
-- from it, which takes the database's write lock at once (waiting for it
-- under the busy timeout) instead of failing with "database is locked" when
-- a transaction that has read tries to write after another writer. Kept on
-- PostgreSQL too, so the two schemas stay alike.
CREATE TABLE write_lock (id BIGINT PRIMARY KEY NOT NULL);
