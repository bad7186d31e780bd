DELETE FROM organization_entry WHERE id = $1
