CREATE TABLE IF NOT EXISTS organization_alias (
    alias_folded text NOT NULL PRIMARY KEY, -- OrganizationAlias::to_canonical(): the unique index
    alias        text NOT NULL,             -- as the holder spelled it, for messages
    account      text NOT NULL,             -- AliasHolder::account(): 12 digits
    region       text NOT NULL,             -- AliasHolder::region(): us-east-1
    client_token text                       -- AliasHolder::client_token(): NULL when none
);
