UPDATE {ns}emulator_entity_counts SET entities = entities + 1
WHERE organization_id = $1 AND entities < $2
