-- Users, resources and mailbox export jobs (feature `emulator`, migration 1002), beside the
-- tables of 1001 and in the same namespace. Each row keeps its value as JSON (`body`), with
-- the columns the statements look it up by.
CREATE TABLE IF NOT EXISTS {ns}emulator_entities (
    organization_id text    NOT NULL,
    entity_id       text    NOT NULL,
    kind            text    NOT NULL,          -- User or Resource
    name            text    NOT NULL,
    email           text,
    enabled_user    boolean NOT NULL,          -- a user whose State is ENABLED
    body            text    NOT NULL,          -- the SeededEntity as JSON
    PRIMARY KEY (organization_id, entity_id)
);
-- How many entities an organization was given: raised only while below the limit.
CREATE TABLE IF NOT EXISTS {ns}emulator_entity_counts (
    organization_id text   PRIMARY KEY,
    entities        bigint NOT NULL CHECK (entities >= 0)
);
-- One row per job the endpoint ever started, kept after its organization is deleted. The
-- unique pair makes a ClientToken name one job per organization.
CREATE TABLE IF NOT EXISTS {ns}emulator_export_jobs (
    job_id          text   PRIMARY KEY,
    organization_id text   NOT NULL,
    client_token    text   NOT NULL,
    start_time      bigint NOT NULL,           -- epoch seconds, by the endpoint's clock
    body            text   NOT NULL,           -- the ExportJob as JSON
    UNIQUE (organization_id, client_token)
);
-- How many jobs of an organization run: raised only while below the limit, in one UPDATE.
CREATE TABLE IF NOT EXISTS {ns}emulator_export_slots (
    organization_id text   PRIMARY KEY,
    running         bigint NOT NULL CHECK (running >= 0)
);
-- The next job for the entity fails.
CREATE TABLE IF NOT EXISTS {ns}emulator_export_failures (
    organization_id text NOT NULL,
    entity_id       text NOT NULL,
    PRIMARY KEY (organization_id, entity_id)
);
