INSERT INTO {ns}emulator_organizations AS started (organization_id, polls, fails)
VALUES ($1, 0, $2)
ON CONFLICT (organization_id) DO UPDATE SET fails = started.fails OR excluded.fails
