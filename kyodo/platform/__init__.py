"""Platform: tenants (municipalities), accounts and roles, audit trail, tenant isolation."""
