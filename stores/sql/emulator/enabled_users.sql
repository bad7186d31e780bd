SELECT count(*) FROM {ns}emulator_entities WHERE organization_id = $1 AND enabled_user
