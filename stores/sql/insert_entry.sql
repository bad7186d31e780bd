INSERT INTO {ns}organization_entry
    (account, region, alias, alias_folded, client_token, spec, request, organization_id,
     snapshot, mail_domains, live, admitted_at, updated_at, version, token, sends, sent_at,
     lease_owner, lease_expires)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)
RETURNING id
