"""Accounts, roles (groups of per-unit operations), lockout and second factor."""
