INSERT INTO {ns}organization_entry
    (account, region, alias, alias_folded, client_token, spec, request, organization_id,
     snapshot, mail_domains, live, admitted_at, updated_at, version)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
RETURNING id
