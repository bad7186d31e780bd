SELECT alias_folded, alias, account, region, client_token
FROM organization_alias
WHERE alias_folded = $1
