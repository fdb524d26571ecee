"""The 収滞納 services: 調定, 消込, 充当・還付, 督促 and the payment-file import.

Each module has one job; all of them write through ``ledger`` (the per-municipality lock and
the shared reads of what is owed and paid) and never update or delete a row.
"""
