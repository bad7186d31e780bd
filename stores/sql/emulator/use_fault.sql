UPDATE {ns}emulator_faults SET remaining = remaining - 1 WHERE id = $1 AND remaining > 1
