INSERT INTO {ns}emulator_export_failures (organization_id, entity_id) VALUES ($1, $2)
ON CONFLICT (organization_id, entity_id) DO NOTHING
