"""Reading the registry as of past dates, the history, and the append-only guarantee."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import DatabaseError, connection, transaction
from django.forms.models import model_to_dict

from kyodo.platform.errors import NotFound
from kyodo.units.juki import selectors
from kyodo.units.juki.models import JuminRecord, Status
from kyodo.units.juki.selectors import NO_RECORD_AS_OF
from kyodo.units.juki.services.shokken import torikeshi
from kyodo.units.juki.services.shussei_shibou import shibou
from kyodo.units.juki.services.tenkyo_setai import setainushi_henko, tenkyo
from kyodo.units.juki.services.tenshutsu import tenshutsu_kakutei, tenshutsu_yotei
from tests.juki.helpers import BASE, ELSEWHERE, HOME, day, family_of_three, member, move_in

pytestmark = pytest.mark.usefixtures("muni")

BEFORE = BASE - dt.timedelta(days=1)


def snapshot_rows() -> dict[int, dict[str, object]]:
    return {r.pk: model_to_dict(r) for r in JuminRecord.objects.all()}


def test_a_person_and_a_household_through_several_changes() -> None:
    head, wife, son = move_in(family_of_three()).records
    no = head.household_no
    rows = snapshot_rows()
    tenkyo(household_no=no, moved_on=day(50), notified_on=day(55), address=ELSEWHERE)
    setainushi_henko(
        household_no=no,
        new_head=wife.atena_no,
        zokugara={head.atena_no: "夫", son.atena_no: "子"},
        changed_on=day(100),
    )
    shibou(atena_no=head.atena_no, died_on=day(150))
    # Earlier snapshots were never touched: every change appended.
    after = snapshot_rows()
    assert {pk: after[pk] for pk in rows} == rows and len(after) == 3 + 3 + 3 + 1

    def state(on: dt.date | None) -> tuple[int, str, str, str]:
        r = selectors.person_record(atena_no=head.atena_no, as_of=on)
        return (r.rireki_no, r.status, r.town, r.zokugara)

    with pytest.raises(NotFound) as missing:
        selectors.person_record(atena_no=head.atena_no, as_of=BEFORE)
    assert missing.value.reason == NO_RECORD_AS_OF.format(atena_no=head.atena_no, as_of=BEFORE)
    assert selectors.record_as_of(head.atena_no, BEFORE) is None
    assert state(BASE) == state(day(49)) == (1, "jumin", HOME.town, "世帯主")
    assert state(day(50)) == state(day(99)) == (2, "jumin", ELSEWHERE.town, "世帯主")
    assert state(day(100)) == state(day(149)) == (3, "jumin", ELSEWHERE.town, "夫")
    assert state(day(150)) == state(None) == (4, "shibou", ELSEWHERE.town, "夫")
    assert selectors.person_record(atena_no=head.atena_no, as_of=day(149)).shojo_date is None
    assert selectors.person_record(atena_no=head.atena_no).shojo_date == day(150)

    def household(on: dt.date | None) -> list[tuple[int, str, str]]:
        return [
            (r.atena_no, r.zokugara, r.setainushi_name) for r in selectors.household_as_of(no, on)
        ]

    assert household(BEFORE) == []
    taro, hanako = "山田\u3000太郎", "山田\u3000花子"
    assert (
        household(BASE)
        == household(day(99))
        == [
            (head.atena_no, "世帯主", taro),
            (wife.atena_no, "妻", taro),
            (son.atena_no, "子", taro),
        ]
    )
    assert household(day(100)) == [
        (wife.atena_no, "世帯主", hanako),
        (head.atena_no, "夫", hanako),
        (son.atena_no, "子", hanako),
    ]
    assert (
        household(day(150))
        == household(None)
        == [(wife.atena_no, "世帯主", hanako), (son.atena_no, "子", hanako)]
    )
    assert [r.town for r in selectors.household_as_of(no, day(49))] == [HOME.town] * 3

    history = selectors.history(head.atena_no)
    assert [(r.rireki_no, r.idou_kind, r.idou_date) for r in history] == [
        (1, "tenyu", BASE),
        (2, "tenkyo", day(50)),
        (3, "setainushi_henko", day(100)),
        (4, "shibou", day(150)),
    ]
    assert [r.rireki_no for r in selectors.history(son.atena_no)] == [1, 2, 3]


def test_removed_records_stay_readable_as_of_any_date() -> None:
    [record] = move_in([member()]).records
    no = record.atena_no
    tenshutsu_yotei(atena_nos=[no], moved_on=day(25), notified_on=day(30), destination="大阪府")
    # The 転入通知 says they moved in even earlier: removed as of that date, which precedes the
    # 転出届 itself; the higher 履歴番号 wins from that date on.
    tenshutsu_kakutei(atena_no=no, moved_in_on=day(24))

    def status(on: dt.date | None) -> str:
        return selectors.person_record(atena_no=no, as_of=on).status

    assert status(day(23)) == Status.JUMIN
    assert status(day(24)) == status(day(29)) == status(day(30)) == Status.TENSHUTSU
    assert status(None) == Status.TENSHUTSU  # the 除票
    assert selectors.person_record(atena_no=no).shojo_date == day(24)
    assert selectors.household_as_of(record.household_no, day(23)) != []
    assert selectors.household_as_of(record.household_no, day(24)) == []
    # Moving back in: the 除票 between, the new record after.
    move_in([member()], moved_on=day(60))
    assert status(day(59)) == Status.TENSHUTSU
    assert status(day(60)) == status(None) == Status.JUMIN
    with pytest.raises(NotFound):
        selectors.person_record(atena_no=no, as_of=BEFORE)


def test_a_cancellation_wins_from_the_date_of_what_it_cancels() -> None:
    head, *_ = move_in(family_of_three()).records
    moved = tenkyo(
        household_no=head.household_no, moved_on=day(50), notified_on=day(50), address=ELSEWHERE
    )
    torikeshi(idou_id=moved.idou.pk, reason="誤り")
    assert selectors.record_as_of(head.atena_no, day(49)).rireki_no == 1
    assert selectors.record_as_of(head.atena_no, day(50)).rireki_no == 3
    assert selectors.record_as_of(head.atena_no, day(50)).town == HOME.town
    assert [r.idou_kind for r in selectors.history(head.atena_no)] == [
        "tenyu",
        "tenkyo",
        "torikeshi",
    ]


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE juki_juminrecord SET family_name = 'x'",
        "DELETE FROM juki_juminrecord",
        "TRUNCATE juki_juminrecord",
        "UPDATE juki_idou SET note = 'x'",
        "DELETE FROM juki_idou",
    ],
)
def test_the_application_role_cannot_update_or_delete_snapshots(statement: str) -> None:
    [record] = move_in([member()]).records
    rows = snapshot_rows()
    with (
        pytest.raises(DatabaseError, match="permission denied"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)
    assert snapshot_rows() == rows
    assert JuminRecord.objects.get(pk=record.pk).family_name == "山田"
