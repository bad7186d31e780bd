CREATE TABLE IF NOT EXISTS {ns}organization_migration (
    version bigint NOT NULL PRIMARY KEY,  -- the migration's number: 1, 2, ...
    name    text   NOT NULL               -- what it did
);
