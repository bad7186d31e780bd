DELETE FROM {ns}emulator_directories WHERE directory_id = $1
