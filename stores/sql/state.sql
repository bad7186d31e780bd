SELECT version, live FROM organization_entry WHERE id = $1
