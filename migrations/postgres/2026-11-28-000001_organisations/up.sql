-- Organisations added by an administrator, beside the reference entities
-- compiled into the binary (src/entities/entities.csv).
CREATE TABLE organisations (
    code        TEXT PRIMARY KEY NOT NULL,
    name        TEXT NOT NULL,
    entity_type TEXT NOT NULL CHECK (entity_type IN ('regional_org', 'international_org')),
    created_at  TIMESTAMP NOT NULL
);
