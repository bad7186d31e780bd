INSERT INTO {ns}emulator_domains (organization_id, domain, tokens, polls)
VALUES ($1, $2, $3, 0)
ON CONFLICT (organization_id, domain) DO NOTHING
