"""What the ``kyodo shuno`` subcommands share: reading files, checking options, the scope."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from kyodo.platform.errors import ValidationFailed
from kyodo.platform.models import Tenant
from kyodo.platform.tenancy.context import Actor, Scope, tenant_scope

CLI_PURPOSE = "CLI"


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError as exc:
        raise ValidationFailed("ファイルがありません", source=str(path)) from exc
    except IsADirectoryError as exc:
        raise ValidationFailed(
            "フォルダではなくファイルを指定してください", source=str(path)
        ) from exc
    except OSError as exc:
        raise ValidationFailed(f"読めません: {exc.strerror}", source=str(path)) from exc


def read_json(path: Path) -> Any:
    try:
        return json.loads(read_bytes(path).decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ValidationFailed("UTF-8 のテキストではありません", source=str(path)) from exc
    except json.JSONDecodeError as exc:
        raise ValidationFailed(
            f"JSON として読めません: {exc.msg}", source=str(path), line=exc.lineno
        ) from exc


def date_option(text: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValidationFailed(f"日付は YYYY-MM-DD です (got {text!r})", source=option) from None


def number_option(text: str, option: str, label: str) -> int:
    if not (text.isascii() and text.isdigit()):
        raise ValidationFailed(f"{label}は半角数字です (got {text!r})", source=option)
    return int(text)


@contextmanager
def cli_scope(code: str) -> Iterator[Scope]:
    """The municipality's scope as the user ``cli`` (refused if it is not registered)."""
    if not Tenant.objects.filter(code=code).exists():
        raise ValidationFailed(f"団体 {code} は登録されていません", source="--tenant")
    with tenant_scope(code, actor=Actor(username="cli"), purpose=CLI_PURPOSE) as scope:
        yield scope
