INSERT INTO {ns}emulator_entity_counts (organization_id, entities) VALUES ($1, 0)
ON CONFLICT (organization_id) DO NOTHING
