SELECT document, version, lease_owner, lease_expires, updated_at
FROM {ns}organization_leaving
WHERE account = $1 AND organization_id = $2
