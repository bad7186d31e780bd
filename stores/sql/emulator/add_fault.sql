INSERT INTO {ns}emulator_faults (kind, operation, remaining) VALUES ($1, $2, $3)
