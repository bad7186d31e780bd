INSERT INTO {ns}organization_migration (version, name) VALUES ($1, $2)
