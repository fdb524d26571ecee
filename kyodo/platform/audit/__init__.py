"""The audit trail (アクセスログ): record, verify, export."""

from kyodo.platform.audit.writer import CURRENT, record

__all__ = ["CURRENT", "record"]
