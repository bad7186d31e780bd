SELECT id, account, region, alias, alias_folded, client_token, spec, request, organization_id, snapshot,
       mail_domains, live, admitted_at, updated_at, version
FROM {ns}organization_entry
WHERE account = $1 AND region = $2 AND client_token = $3
