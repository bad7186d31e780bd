INSERT INTO {ns}emulator_entities
    (organization_id, entity_id, kind, name, email, enabled_user, body)
VALUES ($1, $2, $3, $4, $5, $6, $7)
ON CONFLICT (organization_id, entity_id) DO UPDATE SET
    kind = excluded.kind, name = excluded.name, email = excluded.email,
    enabled_user = excluded.enabled_user, body = excluded.body
