SELECT id, account, region, alias, alias_folded, client_token, spec, request, organization_id, snapshot,
       mail_domains, live, admitted_at, updated_at, version, token, sends, sent_at, lease_owner,
       lease_expires
FROM {ns}organization_entry
WHERE account = $1 AND id > $2
  AND ($3 IS NULL OR region = $3)
  AND ($4 IS NULL OR (organization_id IS NULL AND updated_at < $4))
ORDER BY id
LIMIT $5
