-- The emulator's own state (feature `emulator`, migration 1001), beside the store's tables
-- and in the same namespace. `IF NOT EXISTS` throughout: it adopts the tables, the same
-- columns, that earlier emulators made themselves. `{ROW_ID}` is SQLite's `INTEGER PRIMARY
-- KEY`, PostgreSQL's `bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY`.
CREATE TABLE IF NOT EXISTS {ns}emulator_directories (
    directory_id       text PRIMARY KEY,
    directory_type     text NOT NULL,
    alias              text NOT NULL,
    region             text NOT NULL,
    additional_regions text NOT NULL,          -- a JSON array of Region codes
    stage              text NOT NULL
);
-- One row per injected fault; take_fault uses the oldest that applies.
CREATE TABLE IF NOT EXISTS {ns}emulator_faults (
    id        {ROW_ID},
    kind      text   NOT NULL,
    operation text,                            -- NULL: any operation
    remaining bigint NOT NULL CHECK (remaining > 0)
);
CREATE TABLE IF NOT EXISTS {ns}emulator_organizations (
    organization_id text    PRIMARY KEY,
    polls           bigint  NOT NULL,          -- DescribeOrganization calls so far
    fails           boolean NOT NULL           -- its creation ends Failed
);
-- The first writer's tokens win: INSERT ... ON CONFLICT DO NOTHING, then UPDATE ... RETURNING.
CREATE TABLE IF NOT EXISTS {ns}emulator_domains (
    organization_id text   NOT NULL,
    domain          text   NOT NULL,
    tokens          text   NOT NULL,           -- {"verification": ..., "dkim": [...]}
    polls           bigint NOT NULL,           -- GetMailDomain calls so far
    PRIMARY KEY (organization_id, domain)
);
CREATE TABLE IF NOT EXISTS {ns}emulator_failing_domains (
    domain text PRIMARY KEY
);
