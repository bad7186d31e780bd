SELECT live, organization_limit
FROM {ns}organization_account
WHERE account = $1
