DELETE FROM {ns}organization_key WHERE key = $1 AND entry = $2
