SELECT body FROM {ns}emulator_entities
WHERE organization_id = $1 AND kind = $2 AND entity_id > $3
ORDER BY entity_id LIMIT $4
