DELETE FROM {ns}emulator_faults WHERE id = $1 AND remaining = 1
