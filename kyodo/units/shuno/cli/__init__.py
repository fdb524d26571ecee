"""The ``kyodo shuno`` subcommands that use the ledger, one module per area; the management
command (``management/commands/shuno.py``) only declares the options and dispatches here."""
