UPDATE {ns}organization_entry
SET request = $3, organization_id = $4, snapshot = $5, mail_domains = $6, live = $7,
    updated_at = $8, version = $2 + 1, sends = $9, sent_at = $10, lease_owner = $11,
    lease_expires = $12
WHERE id = $1 AND version = $2
