"""What a backup must bring back: per table, its row count and an order-independent checksum
of its rows (the sum of a 64-bit hash of each row's text), read in the backup's snapshot and
read again after a restore (``backup verify``)."""

from __future__ import annotations

from typing import Any

# Row text depends on these settings: fixed, so the same rows give the same checksum anywhere.
SESSION = ("SET TimeZone = 'UTC'", "SET DateStyle = 'ISO, YMD'", "SET extra_float_digits = 1")


def tables(cursor: Any) -> list[str]:
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    return [row[0] for row in cursor.fetchall()]


def fingerprints(cursor: Any, names: list[str] | None = None) -> dict[str, dict[str, Any]]:
    for statement in SESSION:
        cursor.execute(statement)
    out = {}
    for name in names if names is not None else tables(cursor):
        quoted = '"' + name.replace('"', '""') + '"'
        cursor.execute(
            f"SELECT count(*), coalesce(sum(hashtextextended(t::text, 0)::numeric), 0)::text"
            f" FROM {quoted} AS t"
        )
        rows, checksum = cursor.fetchone()
        out[name] = {"rows": int(rows), "checksum": checksum}
    return out
