SELECT version FROM {ns}organization_migration
