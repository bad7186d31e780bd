CREATE TABLE IF NOT EXISTS {ns}organization_account (
    account            text    NOT NULL PRIMARY KEY, -- AccountId: 12 digits
    organization_limit bigint,                       -- NULL: DEFAULT_ORGANIZATION_LIMIT (100)
    live               bigint  NOT NULL DEFAULT 0    -- entries admitted and not reported Deleted
);
CREATE TABLE IF NOT EXISTS {ns}organization_entry (
    id              {ENTRY_ID},                       -- EntryId: never reused
    account         text    NOT NULL,
    region          text    NOT NULL,                  -- the spec's, for listing by Region
    alias           text    NOT NULL,                  -- the spec's spelling, for holders
    alias_folded    text    NOT NULL,
    client_token    text,                              -- the spec's; NULL when none
    spec            text    NOT NULL,                  -- the spec's JSON format
    request         text,                              -- CreateOrganization JSON, once sent
    organization_id text    UNIQUE,                    -- once AWS answered
    snapshot        text,                              -- DescribeOrganization JSON, once recorded
    mail_domains    text    NOT NULL,                  -- JSON array of the domains it holds
    live            boolean NOT NULL,                  -- not reported Deleted
    admitted_at     bigint  NOT NULL,                  -- epoch seconds, the caller's clock
    updated_at      bigint  NOT NULL,
    version         bigint  NOT NULL,                  -- raised by every change
    CONSTRAINT organization_entry_token UNIQUE (account, region, client_token)
);
CREATE INDEX IF NOT EXISTS {ix}organization_entry_account ON {ns}organization_entry (account, id);
CREATE TABLE IF NOT EXISTS {ns}organization_key (
    key   text   NOT NULL PRIMARY KEY,                 -- UniquenessKey's Display: alias/acme
    entry bigint NOT NULL REFERENCES {ns}organization_entry (id)
);
CREATE INDEX IF NOT EXISTS {ix}organization_key_entry ON {ns}organization_key (entry);
