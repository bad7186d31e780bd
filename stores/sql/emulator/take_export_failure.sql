DELETE FROM {ns}emulator_export_failures WHERE organization_id = $1 AND entity_id = $2
