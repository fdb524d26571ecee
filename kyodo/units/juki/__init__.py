"""住民記録 (juki): the resident registry — 住民票 records, every 異動 with full history."""
