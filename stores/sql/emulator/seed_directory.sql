INSERT INTO {ns}emulator_directories
    (directory_id, directory_type, alias, region, additional_regions, stage)
VALUES ($1, $2, $3, $4, $5, $6)
ON CONFLICT (directory_id) DO UPDATE SET
    directory_type = excluded.directory_type, alias = excluded.alias,
    region = excluded.region, additional_regions = excluded.additional_regions,
    stage = excluded.stage
