-- The emulator's own state, beside the catalog store's tables (SQLite; PostgreSQL takes the
-- same statements with BIGINT GENERATED ALWAYS AS IDENTITY for emulator_faults.id).
CREATE TABLE IF NOT EXISTS emulator_directories (
    directory_id TEXT PRIMARY KEY,
    directory_type TEXT NOT NULL,
    alias TEXT NOT NULL,
    region TEXT NOT NULL,
    additional_regions TEXT NOT NULL, -- a JSON array of Region codes
    stage TEXT NOT NULL
);
-- One row per injected fault; take_fault uses the oldest that applies, in one transaction.
CREATE TABLE IF NOT EXISTS emulator_faults (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    operation TEXT, -- NULL: any operation
    remaining BIGINT NOT NULL CHECK (remaining > 0)
);
CREATE TABLE IF NOT EXISTS emulator_organizations (
    organization_id TEXT PRIMARY KEY,
    polls BIGINT NOT NULL,
    fails BOOLEAN NOT NULL
);
-- The first writer's tokens win: INSERT ... ON CONFLICT DO NOTHING, then SELECT.
CREATE TABLE IF NOT EXISTS emulator_domains (
    organization_id TEXT NOT NULL,
    domain TEXT NOT NULL,
    tokens TEXT NOT NULL, -- {"verification": ..., "dkim": [...]}
    polls BIGINT NOT NULL,
    PRIMARY KEY (organization_id, domain)
);
CREATE TABLE IF NOT EXISTS emulator_failing_domains (
    domain TEXT PRIMARY KEY
);
