"""The JSON of ``kyodo shuno chotei-import``: a list of assessments, checked key by key.

Shape (a list; one object per 納税通知書)::

    [{"tax_kind": "kokuho", "fiscal_year": 2026, "notice_no": 123, "atena_no": 1001,
      "assessed_on": "2026-07-01",
      "installments": [{"kibetsu": 1, "amount": 10000, "due_date": "2026-07-31"}, …]}, …]

Every key is required and no other key is allowed (a misspelt ``ammount`` must not create an
installment without its amount). ``notice_no`` may be a number or a string of digits. Every
problem of every item is collected, each named by its JSON path (``[3].installments[1].amount``);
:class:`~kyodo.units.shuno.rejection.Rejected` carries them all.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from kyodo.platform.errors import ValidationFailed
from kyodo.units.shuno.rejection import Rejected
from kyodo.units.shuno.services.chotei import ChoteiRequest, KibetsuInput

KEYS = ("tax_kind", "fiscal_year", "notice_no", "atena_no", "assessed_on", "installments")
INSTALLMENT_KEYS = ("kibetsu", "amount", "due_date")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class _Problems:
    def __init__(self, source: str) -> None:
        self.source = source
        self.items: list[ValidationFailed] = []

    def add(self, path: str, reason: str) -> None:
        self.items.append(ValidationFailed(reason, field=path, source=self.source))


def read_chotei_json(data: Any, *, source: str) -> list[ChoteiRequest]:
    """The requests in ``data``; :class:`Rejected` with every problem if any."""
    problems = _Problems(source)
    if not isinstance(data, list):
        problems.add("$", "調定の JSON は配列（[...]）です")
        raise Rejected(problems.items, source=source)
    if not data:
        problems.add("$", "調定が1件もありません")
    requests = []
    for index, item in enumerate(data):
        request = _request(item, f"[{index}]", problems)
        if request is not None:
            requests.append(request)
    if problems.items:
        raise Rejected(problems.items, source=source)
    return requests


def _request(item: Any, path: str, problems: _Problems) -> ChoteiRequest | None:
    if not _object(item, path, KEYS, problems):
        return None
    before = len(problems.items)
    tax_kind = item["tax_kind"]
    if not isinstance(tax_kind, str):
        problems.add(f"{path}.tax_kind", f"文字列です (got {tax_kind!r})")
    fiscal_year = _int(item["fiscal_year"], f"{path}.fiscal_year", problems)
    notice_no = _notice_no(item["notice_no"], f"{path}.notice_no", problems)
    atena_no = _int(item["atena_no"], f"{path}.atena_no", problems)
    assessed_on = _date(item["assessed_on"], f"{path}.assessed_on", problems)
    installments = []
    raw = item["installments"]
    if not isinstance(raw, list):
        problems.add(f"{path}.installments", "配列（[...]）です")
        raw = []
    for i, part in enumerate(raw):
        where = f"{path}.installments[{i}]"
        if not _object(part, where, INSTALLMENT_KEYS, problems):
            continue
        kibetsu = _int(part["kibetsu"], f"{where}.kibetsu", problems)
        amount = _int(part["amount"], f"{where}.amount", problems)
        due_date = _date(part["due_date"], f"{where}.due_date", problems)
        if kibetsu is not None and amount is not None and due_date is not None:
            installments.append(KibetsuInput(kibetsu=kibetsu, amount=amount, due_date=due_date))
    if len(problems.items) > before:
        return None
    assert fiscal_year is not None and notice_no is not None and atena_no is not None
    assert assessed_on is not None
    return ChoteiRequest(
        tax_kind=tax_kind,
        fiscal_year=fiscal_year,
        notice_no=notice_no,
        atena_no=atena_no,
        assessed_on=assessed_on,
        installments=tuple(installments),
    )


def _object(value: Any, path: str, keys: tuple[str, ...], problems: _Problems) -> bool:
    if not isinstance(value, dict):
        problems.add(path, "JSON オブジェクト（{...}）です")
        return False
    ok = True  # an unknown key is reported, but the known ones are still checked
    for key in value:
        if key not in keys:
            problems.add(f"{path}.{key}", f"未知の項目です（使える項目: {', '.join(keys)}）")
    for key in keys:
        if key not in value:
            problems.add(f"{path}.{key}", "必須の項目です")
            ok = False
    return ok


def _int(value: Any, path: str, problems: _Problems) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int):
        problems.add(path, f"整数です (got {value!r})")
        return None
    return value


def _notice_no(value: Any, path: str, problems: _Problems) -> int | None:
    if isinstance(value, str) and value.isascii() and value.isdigit():
        return int(value)
    return _int(value, path, problems)


def _date(value: Any, path: str, problems: _Problems) -> dt.date | None:
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        problems.add(path, f"YYYY-MM-DD の日付です (got {value!r})")
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        problems.add(path, f"存在しない日付です (got {value!r})")
        return None
