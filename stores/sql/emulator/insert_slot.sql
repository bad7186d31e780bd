INSERT INTO {ns}emulator_export_slots (organization_id, running) VALUES ($1, 0)
ON CONFLICT (organization_id) DO NOTHING
