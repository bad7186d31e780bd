INSERT INTO {ns}emulator_export_jobs (job_id, organization_id, client_token, start_time, body)
VALUES ($1, $2, $3, $4, $5)
ON CONFLICT DO NOTHING
