"""The JSON a slip is made from (``kyodo shuno barcode --json FILE``), checked key by key.

Pure: no Django (import contract ``shuno-slip-is-pure``). Shape::

    {"company_code": "912345", "free": "<1–21 digits>", "reissue": 0,
     "due_date": "2026-12-25" or null, "stamp": 0, "amount": 12300,
     "el": {"shuno_kikan_no": "…", "nofu_no": "…", "kakunin_no": "…", "nofu_kubun": "…"},
     "el_qr": "<the eL-QR payload as issued>"}

``el`` and ``el_qr`` are optional; every other key is required (``due_date`` may be null for a
barcode without a due date). An unknown key is refused rather than ignored: a misspelt
``ammount`` must not print a slip without the intended amount. This module checks the shape;
:func:`~kyodo.units.shuno.barcode.build` and :class:`~kyodo.units.shuno.slip.Slip` check the
values.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from .errors import InvalidInput
from .slip import ElBango

__all__ = ["SlipRequest", "parse_request"]

REQUIRED = ("company_code", "free", "reissue", "due_date", "stamp", "amount")
OPTIONAL = ("el", "el_qr")
EL_KEYS = ("shuno_kikan_no", "nofu_no", "kakunin_no", "nofu_kubun")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class SlipRequest:
    barcode: dict[str, Any]  # the keyword arguments of barcode.build
    el_bango: ElBango | None
    el_qr: str | None


def parse_request(data: object) -> SlipRequest:
    """The checked request; :class:`InvalidInput` names the first wrong key."""
    if not isinstance(data, dict):
        raise InvalidInput("$", "JSON オブジェクト（{...}）で指定してください")
    _known_keys(data, (*REQUIRED, *OPTIONAL), prefix="")
    for key in REQUIRED:
        if key not in data:
            raise InvalidInput(key, "必須の項目です")
    barcode = {key: data[key] for key in REQUIRED}
    barcode["due_date"] = _date(data["due_date"], "due_date")
    return SlipRequest(barcode=barcode, el_bango=_el_bango(data.get("el")), el_qr=data.get("el_qr"))


def _known_keys(data: dict[str, Any], known: tuple[str, ...], *, prefix: str) -> None:
    for key in data:
        if key not in known:
            raise InvalidInput(
                f"{prefix}{key}", f"未知の項目です（使える項目: {', '.join(known)}）"
            )


def _date(value: object, field: str) -> dt.date | None:
    if value is None:
        return None
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        raise InvalidInput(field, f"YYYY-MM-DD の日付か null です (got {value!r})")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(field, f"存在しない日付です (got {value!r})") from None


def _el_bango(value: object) -> ElBango | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise InvalidInput("el", "eL番号は JSON オブジェクトで指定してください")
    _known_keys(value, EL_KEYS, prefix="el.")
    for key in EL_KEYS:
        if key not in value:
            raise InvalidInput(f"el.{key}", "必須の項目です")
    return ElBango(**{key: value[key] for key in EL_KEYS})
