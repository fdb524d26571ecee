"""Writing many rows at once: COPY into a temporary table, then one INSERT … SELECT.

PostgreSQL refuses COPY FROM into a table with row-level security, so the rows go through a
temporary table first; the INSERT … SELECT still passes the tables' ``WITH CHECK`` policy. Ids
are reserved from the table's sequence beforehand, so rows of one table can point at rows of
another written in the same batch. Other databases (the SQLite demo) use ``bulk_create``.
See ../shared/stack-notes.md §3: COPY is about 13× faster than the ORM's bulk_create.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection, models


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """``count`` new ids from the table's sequence."""
    if count == 0:
        return []
    if connection.vendor != "postgresql":
        # The SQLite demo has no sequences and one writer at a time: continue after the
        # highest id of any municipality.
        top = model._base_manager.aggregate(top=models.Max("id"))["top"] or 0
        return list(range(top + 1, top + 1 + count))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [model._meta.db_table, count],
        )
        return [row[0] for row in cursor.fetchall()]


def insert(
    model: type[models.Model], columns: Sequence[str], rows: Sequence[Sequence[Any]]
) -> None:
    """Insert ``rows``, each a tuple of values for ``columns`` (column names). Columns left
    out take the table's default; without ``id`` the table numbers the rows (nothing in the
    batch may point at them then)."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        objects = [model(**dict(zip(columns, row, strict=True))) for row in rows]
        model._base_manager.bulk_create(objects, batch_size=2000)
        return
    table = model._meta.db_table
    cols = ", ".join(f'"{c}"' for c in columns)
    temp = f"bulk_{table}"
    with connection.cursor() as django_cursor:
        cursor = django_cursor.cursor  # the psycopg cursor, for COPY
        # Only the given columns (the table fills in the rest, such as a missing id).
        cursor.execute(
            f"CREATE TEMP TABLE {temp} ON COMMIT DROP AS SELECT {cols} FROM {table} WITH NO DATA"
        )
        with cursor.copy(f"COPY {temp} ({cols}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cursor.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM {temp}")
        cursor.execute(f"DROP TABLE {temp}")  # several batches may share one transaction
