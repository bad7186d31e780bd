SELECT directory_type, alias, region, additional_regions, stage
FROM {ns}emulator_directories WHERE directory_id = $1
