SELECT body FROM {ns}emulator_export_jobs WHERE organization_id = $1 AND client_token = $2
