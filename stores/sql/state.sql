SELECT version, live FROM {ns}organization_entry WHERE id = $1
