INSERT INTO {ns}organization_account AS counted (account, live) VALUES ($1, 1)
ON CONFLICT (account) DO UPDATE SET live = counted.live + 1
WHERE counted.live < COALESCE(counted.organization_limit, $2)
RETURNING live
