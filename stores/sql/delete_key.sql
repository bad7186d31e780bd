DELETE FROM organization_key WHERE key = $1 AND entry = $2
