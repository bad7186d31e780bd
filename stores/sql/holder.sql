SELECT e.id, e.account, e.region, e.alias
FROM organization_key k JOIN organization_entry e ON e.id = k.entry
WHERE k.key = $1
