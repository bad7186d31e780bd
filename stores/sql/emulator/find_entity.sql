SELECT body FROM {ns}emulator_entities
WHERE organization_id = $1 AND (entity_id = $2 OR name = $2 OR email = $2)
ORDER BY entity_id LIMIT 1
