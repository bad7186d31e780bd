SELECT key FROM {ns}organization_key WHERE entry = $1 ORDER BY key
