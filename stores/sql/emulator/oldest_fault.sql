SELECT id, remaining FROM {ns}emulator_faults
WHERE kind = $1 AND (operation IS NULL OR operation = $2)
ORDER BY id LIMIT 1
