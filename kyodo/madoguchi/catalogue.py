"""The PUSH catalogue's data files: ``procedures.json`` and ``municipalities.json``.

``procedures.json`` holds the events (転入, 出生, 転出, 死亡, 世帯照会), the named periods
(``chugakusei`` …), the default parameters (e.g. ``iryo_kodomo_until``), the member and household
flags with their wording, and the procedures. Each procedure names the events it applies to, its
scope (per member or per household), a small declarative condition
(:mod:`kyodo.madoguchi.conditions`), and its legal basis.

``municipalities.json`` holds the per-municipality overrides keyed by 団体コード; how they apply
is in :mod:`kyodo.madoguchi.rules`. This module only reads the files: the procedures and the
overrides are validated when they are compiled into rules, where an error can name its path.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kyodo.platform.errors import ValidationFailed

__all__ = [
    "CATALOGUE_FILE",
    "OVERRIDES_FILE",
    "Catalogue",
    "load_catalogue",
    "load_overrides",
    "read_json",
]

HERE = Path(__file__).resolve().parent
CATALOGUE_FILE = HERE / "procedures.json"
OVERRIDES_FILE = HERE / "municipalities.json"


@dataclass(frozen=True)
class Catalogue:
    events: Mapping[str, str]
    periods: Mapping[str, Mapping[str, Any]]
    params: Mapping[str, Any]
    member_flags: Mapping[str, Mapping[str, str]]
    household_flags: Mapping[str, Mapping[str, str]]
    procedures: Sequence[Mapping[str, Any]]


def read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ValidationFailed("ファイルがありません", source=str(path)) from exc
    except json.JSONDecodeError as exc:
        raise ValidationFailed(
            f"JSON として読めません: {exc.msg}", source=str(path), line=exc.lineno
        ) from exc


@functools.lru_cache(maxsize=1)
def load_catalogue() -> Catalogue:
    """``procedures.json``, read once per process (it ships with the code)."""
    data = read_json(CATALOGUE_FILE)
    return Catalogue(
        events=data["events"],
        periods=data["periods"],
        params=data["params"],
        member_flags=data["member_flags"],
        household_flags=data["household_flags"],
        procedures=tuple(data["procedures"]),
    )


def load_overrides(path: Path | str | None = None) -> dict[str, Any]:
    """Per-municipality overrides keyed by 団体コード (default: ``municipalities.json``)."""
    path = Path(path) if path is not None else OVERRIDES_FILE
    data = read_json(path)
    if not isinstance(data, dict) or not isinstance(data.get("municipalities", {}), dict):
        raise ValidationFailed('{"municipalities": {団体コード: {...}}} の形です', source=str(path))
    return dict(data.get("municipalities", {}))
