DELETE FROM {ns}emulator_domains WHERE organization_id = $1 AND domain = $2
