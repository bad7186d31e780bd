-- SQLite only: an admission writes fewer pages. The entry table is made again with its two
-- unique rules as partial indexes, so that a row without an organization id or a client
-- token (every new admission, and most specs) adds nothing to them; the key table is made
-- again WITHOUT ROWID, its primary key the table itself. Rows, ids and the id sequence are
-- kept (a deleted entry's id is never reused).
CREATE TABLE {ns}organization_entry_lean (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    account         text    NOT NULL,
    region          text    NOT NULL,
    alias           text    NOT NULL,
    alias_folded    text    NOT NULL,
    client_token    text,
    spec            text    NOT NULL,
    request         text,
    organization_id text,
    snapshot        text,
    mail_domains    text    NOT NULL,
    live            boolean NOT NULL,
    admitted_at     bigint  NOT NULL,
    updated_at      bigint  NOT NULL,
    version         bigint  NOT NULL
);
INSERT INTO {ns}organization_entry_lean
    (id, account, region, alias, alias_folded, client_token, spec, request, organization_id,
     snapshot, mail_domains, live, admitted_at, updated_at, version)
SELECT id, account, region, alias, alias_folded, client_token, spec, request, organization_id,
       snapshot, mail_domains, live, admitted_at, updated_at, version
FROM {ns}organization_entry;
-- The copy set the new sequence to the highest id kept; a deleted entry may have had a higher.
UPDATE sqlite_sequence
SET seq = (SELECT seq FROM sqlite_sequence WHERE name = '{ns}organization_entry')
WHERE name = '{ns}organization_entry_lean'
  AND seq < (SELECT seq FROM sqlite_sequence WHERE name = '{ns}organization_entry');
INSERT INTO sqlite_sequence (name, seq)
SELECT '{ns}organization_entry_lean', seq FROM sqlite_sequence
WHERE name = '{ns}organization_entry'
  AND NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = '{ns}organization_entry_lean');
-- The keys wait in a copy while their table goes: SQLite enforces the key table's foreign key
-- (rusqlite's bundled build turns enforcement on), so the entry table is dropped only once no
-- table refers to it.
CREATE TEMP TABLE {ns}organization_key_copy AS SELECT key, entry FROM {ns}organization_key;
DROP TABLE {ns}organization_key;
DROP TABLE {ns}organization_entry;
ALTER TABLE {ns}organization_entry_lean RENAME TO {ns}organization_entry;
CREATE TABLE {ns}organization_key (
    key   text   NOT NULL PRIMARY KEY,                 -- UniquenessKey's Display: alias/acme
    entry bigint NOT NULL REFERENCES {ns}organization_entry (id)
) WITHOUT ROWID;
INSERT INTO {ns}organization_key (key, entry) SELECT key, entry FROM {ns}organization_key_copy;
DROP TABLE {ns}organization_key_copy;
CREATE UNIQUE INDEX {ix}organization_entry_organization_id
    ON {ns}organization_entry (organization_id) WHERE organization_id IS NOT NULL;
CREATE UNIQUE INDEX {ix}organization_entry_token
    ON {ns}organization_entry (account, region, client_token) WHERE client_token IS NOT NULL;
CREATE INDEX {ix}organization_entry_account ON {ns}organization_entry (account, id);
CREATE INDEX {ix}organization_key_entry ON {ns}organization_key (entry);
