UPDATE {ns}organization_entry
SET request = $3, organization_id = $4, snapshot = $5, mail_domains = $6, live = $7,
    updated_at = $8, version = $2 + 1
WHERE id = $1 AND version = $2
