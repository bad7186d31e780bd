SELECT outcome, id, key, holder_account, holder_region, holder_alias, live, organization_limit
FROM {ns}organization_admit($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
