SELECT body FROM {ns}emulator_export_jobs WHERE job_id > $1 ORDER BY job_id LIMIT $2
