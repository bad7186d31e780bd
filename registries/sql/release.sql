DELETE FROM organization_alias
WHERE alias_folded = $1 AND account = $2 AND region = $3
  AND client_token IS NOT DISTINCT FROM $4
