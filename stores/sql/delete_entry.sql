DELETE FROM {ns}organization_entry WHERE id = $1
