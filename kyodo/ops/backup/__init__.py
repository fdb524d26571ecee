"""Backups of the whole deployment (pg_dump of one snapshot) or of one municipality (its
standard-layout export), encrypted with age, in generations (ADR 0016)."""
