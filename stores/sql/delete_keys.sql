DELETE FROM {ns}organization_key WHERE entry = $1
