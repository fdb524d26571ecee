"""One family of domain errors, each carrying where and why.

Every error names the source (a file, a CLI option, a form), the line when there is one, the
field and the reason, so a clerk or an operator can fix the input without reading code.
"""

from __future__ import annotations


class KyodoError(Exception):
    """A domain failure with a user-facing message."""

    def __init__(
        self,
        reason: str,
        *,
        field: str | None = None,
        source: str | None = None,
        line: int | None = None,
    ) -> None:
        self.reason = reason
        self.field = field
        self.source = source
        self.line = line
        super().__init__(self.message)

    @property
    def message(self) -> str:
        where = []
        if self.source:
            where.append(self.source)
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.field:
            where.append(f"field '{self.field}'")
        prefix = ", ".join(where)
        return f"{prefix}: {self.reason}" if prefix else self.reason


class ValidationFailed(KyodoError):
    """Input did not satisfy a rule; nothing was written."""


class NotFound(KyodoError):
    """The object does not exist in the current municipality."""


class PermissionDenied(KyodoError):
    """The actor may not perform this operation."""


class NoTenantSelected(KyodoError):
    """Tenant-owned data was queried outside a tenant scope."""
