SELECT id, account, region, alias, alias_folded, client_token, spec, request, organization_id, snapshot,
       mail_domains, live, admitted_at, updated_at, version, token, sends, sent_at, lease_owner,
       lease_expires
FROM {ns}organization_entry
WHERE account = $1 AND region = $2 AND client_token = $3
