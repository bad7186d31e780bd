SELECT body FROM {ns}emulator_export_jobs
WHERE organization_id = $1 AND start_time >= $2 AND job_id > $3
ORDER BY job_id LIMIT $4
