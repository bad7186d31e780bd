INSERT INTO {ns}organization_account (account, organization_limit) VALUES ($1, $2)
ON CONFLICT (account) DO UPDATE SET organization_limit = excluded.organization_limit
