-- Courtesy translations of a practice's title and body into the other UN
-- languages. The original stays authoritative; readers are told which
-- text they read. A change to a translation is a change to the practice:
-- its submission takes a new version, its trail an event, the audit log
-- the texts before and after.
CREATE TABLE practice_translations (
    practice_id TEXT NOT NULL REFERENCES practices (id),
    language    TEXT NOT NULL,
    title       TEXT NOT NULL,
    body        TEXT NOT NULL,
    -- 'secretariat' (an editor's) or 'focal_point' (sent by the State or
    -- organisation that shared the practice).
    origin      TEXT NOT NULL,
    updated_by  TEXT REFERENCES users (id),
    updated_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (practice_id, language)
);
