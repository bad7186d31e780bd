DELETE FROM organization_key WHERE entry = $1
