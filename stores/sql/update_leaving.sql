UPDATE {ns}organization_leaving
SET document = $3, version = $4 + 1, lease_owner = $5, lease_expires = $6, updated_at = $7
WHERE account = $1 AND organization_id = $2 AND version = $4
