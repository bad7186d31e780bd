UPDATE {ns}emulator_domains SET polls = polls + $3
WHERE organization_id = $1 AND domain = $2
RETURNING tokens, polls
