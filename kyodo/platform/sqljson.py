"""JSON built by the database, the same on PostgreSQL and on SQLite (the demo).

``JSONObject`` embeds a JSON column as a document on PostgreSQL (jsonb) but as a string on
SQLite, where JSON columns are text: :class:`Document` marks a value that is already JSON.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Func, JSONField


class Document(Func):
    """A JSON column (or key) embedded as JSON, not as its text, inside ``JSONObject``."""

    output_field = JSONField()
    template = "%(expressions)s"

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, template="JSON(%(expressions)s)", **extra)
