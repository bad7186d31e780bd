SELECT key FROM organization_key WHERE entry = $1 ORDER BY key
