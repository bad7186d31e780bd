DELETE FROM {ns}emulator_entity_counts WHERE organization_id = $1
