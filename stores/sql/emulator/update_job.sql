UPDATE {ns}emulator_export_jobs SET body = $3 WHERE job_id = $1 AND body = $2
