INSERT INTO organization_alias (alias_folded, alias, account, region, client_token)
VALUES ($1, $2, $3, $4, $5)
ON CONFLICT (alias_folded) DO NOTHING
