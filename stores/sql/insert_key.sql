INSERT INTO {ns}organization_key (key, entry) VALUES ($1, $2)
ON CONFLICT (key) DO NOTHING
