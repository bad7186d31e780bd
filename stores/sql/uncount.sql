UPDATE {ns}organization_account SET live = live - 1
WHERE account = $1 AND live > 0
