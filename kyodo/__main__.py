"""The ``kyodo`` console script: Django's management commands under one name.

``kyodo calc …`` (and ``kyodo alloc``, a consortium's cost split) is the exception: the pure
calculators of :mod:`kyodo.rules.cli` run without Django (no settings, database or keys), so
they are dispatched before Django is imported.

``kyodo migrate`` (and the other schema commands) connect as the schema owner role
(``DATABASE_OWNER_URL``); everything else connects as the application role
(``DATABASE_URL``), which owns no table and is subject to row-level security.
"""

from __future__ import annotations

import os
import sys

# Commands that change the schema must run as the role that owns the tables.
OWNER_COMMANDS = frozenset({"migrate", "makemigrations", "sqlmigrate", "createcachetable"})


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    argv[0] = "kyodo"
    if len(argv) > 1 and argv[1] == "calc":
        from kyodo.rules.cli import main as calc

        sys.exit(calc(argv[2:], prog="kyodo calc"))
    if len(argv) > 1 and argv[1] == "alloc":  # 費用按分: a pure calculator too (issue 8)
        from kyodo.rules.cli import main as calc

        sys.exit(calc(argv[1:], prog="kyodo"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kyodo.config.settings")
    if len(argv) > 1 and argv[1] in OWNER_COMMANDS:
        os.environ.setdefault("KYODO_DB_ROLE", "owner")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
