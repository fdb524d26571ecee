"""Tenancy: municipalities as tenants, the current-tenant scope, and isolation guards."""
