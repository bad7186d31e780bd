SELECT e.id, e.account, e.region, e.alias
FROM {ns}organization_key k JOIN {ns}organization_entry e ON e.id = k.entry
WHERE k.key = $1
