DELETE FROM {ns}emulator_entities WHERE organization_id = $1
