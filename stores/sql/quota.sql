SELECT live, organization_limit
FROM organization_account
WHERE account = $1
