INSERT INTO {ns}emulator_organizations AS polled (organization_id, polls, fails)
VALUES ($1, 1, FALSE)
ON CONFLICT (organization_id) DO UPDATE SET polls = polled.polls + 1
RETURNING polls, fails
