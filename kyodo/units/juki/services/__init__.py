"""異動 services: one module per kind of change. Each validates everything first, then writes
one 異動 with a full 住民票 snapshot per person, in one transaction."""
