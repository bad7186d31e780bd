INSERT INTO {ns}organization_leaving
    (account, organization_id, document, version, lease_owner, lease_expires, updated_at)
VALUES ($1, $2, $3, 1, $4, $5, $6)
ON CONFLICT (account, organization_id) DO NOTHING
