UPDATE {ns}organization_entry SET version = version + 1
WHERE id = $1 AND version = $2
RETURNING version, live
