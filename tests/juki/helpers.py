"""Building residents for the 異動 tests: members, move-in data, and row counts.

Dates are fixed in the past (``BASE``, 2026-04-01); services refuse dates after today, so the
"future" cases use ``timezone.localdate()`` arithmetic instead.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from kyodo.atena.models import Household, Person
from kyodo.atena.mynumber import check_digit
from kyodo.platform.errors import ValidationFailed
from kyodo.units.juki.models import Idou, JuminRecord
from kyodo.units.juki.services.common import Address, Outcome
from kyodo.units.juki.services.inputs import MemberInput
from kyodo.units.juki.services.tenyu import TenyuRequest, read_move_in_data, tenyu

BASE = dt.date(2026, 4, 1)
HOME = Address(town="本町", banchi="1-2-3", postal_code="939-0000")
ELSEWHERE = Address(town="新町", banchi="5-6", katagaki="コーポ新町101")
PREVIOUS = "東京都千代田区霞が関2-1-2"


def day(n: int) -> dt.date:
    """``BASE`` + n days."""
    return BASE + dt.timedelta(days=n)


def tomorrow() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=1)


def my_number(body: str) -> str:
    """A valid 個人番号 from an 11-digit body."""
    return body + str(check_digit(body))


def bad_my_number(body: str) -> str:
    return body + str((check_digit(body) + 1) % 10)


def member(
    family: str = "山田",
    given: str = "太郎",
    family_kana: str = "ヤマダ",
    given_kana: str = "タロウ",
    *,
    birth: dt.date = dt.date(1980, 4, 1),
    sex: int = 1,
    relationship: str = "世帯主",
    **extra: Any,
) -> MemberInput:
    return MemberInput(
        family_name=family,
        given_name=given,
        family_kana=family_kana,
        given_kana=given_kana,
        birth_date=birth,
        sex=sex,
        relationship=relationship,
        **extra,
    )


def family_of_three() -> list[MemberInput]:
    return [
        member(my_number=my_number("12345678901")),
        member(
            "山田", "花子", "ヤマダ", "ハナコ", birth=dt.date(1982, 7, 7), sex=2, relationship="妻"
        ),
        member("山田", "一郎", "ヤマダ", "イチロウ", birth=dt.date(2010, 1, 15), relationship="子"),
    ]


def move_in(
    members: list[MemberInput] | None = None,
    *,
    moved_on: dt.date = BASE,
    notified_on: dt.date | None = None,
    address: Address = HOME,
    previous_address: str = PREVIOUS,
    from_abroad: bool = False,
) -> Outcome:
    return tenyu(
        TenyuRequest(
            moved_on=moved_on,
            notified_on=notified_on or moved_on,
            address=address,
            previous_address=previous_address,
            members=members if members is not None else [member()],
            from_abroad=from_abroad,
        )
    )


def member_data(**overrides: Any) -> dict[str, Any]:
    """One member as the JSON of the CLI and the API has it."""
    data: dict[str, Any] = {
        "family_name": "山田",
        "given_name": "太郎",
        "family_kana": "ヤマダ",
        "given_kana": "タロウ",
        "birth_date": "1980-04-01",
        "sex": "M",
        "relationship": "世帯主",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def move_in_data(*members: dict[str, Any], moved_on: dt.date = BASE) -> dict[str, Any]:
    return {
        "moved_on": moved_on.isoformat(),
        "notified_on": moved_on.isoformat(),
        "address": {"town": HOME.town, "banchi": HOME.banchi, "postal_code": HOME.postal_code},
        "previous_address": PREVIOUS,
        "members": list(members) or [member_data()],
    }


def move_in_json(*members: dict[str, Any], moved_on: dt.date = BASE) -> Outcome:
    """A 転入 through the parser every caller (CLI, API, web form) uses."""
    request = read_move_in_data(move_in_data(*members, moved_on=moved_on), source="test.json")
    return tenyu(request, source="test.json")


def counts() -> dict[str, int]:
    """Rows of everything a 異動 writes, in the current municipality."""
    return {
        "records": JuminRecord.objects.count(),
        "idou": Idou.objects.count(),
        "persons": Person.objects.count(),
        "households": Household.objects.count(),
    }


def person(atena_no: int) -> Person:
    return Person.objects.get(atena_no=atena_no)


def latest(atena_no: int) -> JuminRecord:
    return JuminRecord.objects.filter(atena_no=atena_no).order_by("-rireki_no").first()


def refused(
    call: Callable[[], object], *, match: str, field: str | None = None
) -> ValidationFailed:
    """``call`` fails with ``match`` (on ``field``) and writes nothing."""
    before = counts()
    with pytest.raises(ValidationFailed, match=match) as failure:
        call()
    assert counts() == before
    if field is not None:
        assert failure.value.field == field
    return failure.value
