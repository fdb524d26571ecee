"""転出: the 転出届 (予定), its 確定 on the 転入通知, 国外転出, and the refusals."""

from __future__ import annotations

import pytest

from kyodo.atena.models import PersonKind
from kyodo.atena.search import Query
from kyodo.atena.selectors import person_find
from kyodo.units.juki import selectors
from kyodo.units.juki.models import IdouKind, Status
from kyodo.units.juki.services.common import NOT_A_RESIDENT
from kyodo.units.juki.services.shussei_shibou import shibou
from kyodo.units.juki.services.tenshutsu import (
    ALREADY_PENDING,
    HEAD_LEAVES_ALONE,
    NOT_PENDING,
    PLANNED_TOO_EARLY,
    tenshutsu_kakutei,
    tenshutsu_yotei,
)
from tests.juki.helpers import day, family_of_three, member, move_in, person, refused, tomorrow

pytestmark = pytest.mark.usefixtures("muni")

OSAKA = "大阪府大阪市北区中之島1-3-20"


def leave(atena_nos: list[int], *, notified: int = 30, planned: int = 40, **kwargs: object):
    return tenshutsu_yotei(
        atena_nos=atena_nos,
        moved_on=day(planned),
        notified_on=day(notified),
        destination=kwargs.pop("destination", OSAKA),  # type: ignore[arg-type]
        **kwargs,  # type: ignore[arg-type]
    )


def test_a_planned_move_out_keeps_the_person_a_resident() -> None:
    head, wife, son = move_in(family_of_three()).records
    outcome = leave([son.atena_no])
    [record] = outcome.records
    assert (outcome.idou.kind, record.idou_group) == (IdouKind.TENSHUTSU_YOTEI, "shusei")
    assert (record.rireki_no, record.status) == (2, Status.TENSHUTSU_YOTEI)
    assert (record.idou_date, record.notified_on) == (day(30), day(30))
    assert (record.tenshutsu_yotei_date, record.destination_address) == (day(40), OSAKA)
    assert record.shojo_date is None
    # Still a resident: in the household, searchable as a resident, readable.
    assert selectors.is_resident(son.atena_no)
    assert person(son.atena_no).kind == PersonKind.JUMIN
    assert person(son.atena_no).household.household_no == head.household_no
    assert son.atena_no in [
        p.atena_no
        for p in person_find(query=Query(text="ヤマダ イチロウ"))
        if p.kind == PersonKind.JUMIN
    ]
    assert [r.atena_no for r in selectors.household_as_of(head.household_no)] == [
        head.atena_no,
        wife.atena_no,
        son.atena_no,
    ]
    refused(lambda: leave([son.atena_no]), match=ALREADY_PENDING.format(atena_no=son.atena_no))


def test_the_confirmation_removes_as_of_the_earlier_move_in_date() -> None:
    head, wife, son = move_in(family_of_three()).records
    leave([son.atena_no], notified=30, planned=40)
    outcome = tenshutsu_kakutei(atena_no=son.atena_no, moved_in_on=day(37))
    [record] = outcome.records
    assert (outcome.idou.kind, record.idou_group) == (IdouKind.TENSHUTSU, "shojo")
    assert (record.rireki_no, record.status) == (3, Status.TENSHUTSU)
    assert record.idou_date == record.shojo_date == day(37)
    assert record.shojo_reason == "tenshutsu" and record.tenshutsu_yotei_date == day(40)
    projected = person(son.atena_no)
    assert (projected.kind, projected.household) == (PersonKind.JOGAI, None)
    assert not selectors.is_resident(son.atena_no)
    assert [r.atena_no for r in selectors.household_as_of(head.household_no)] == [
        head.atena_no,
        wife.atena_no,
    ]
    # Still found by a search (as a 除票), and readable as one.
    assert {p.kind for p in person_find(query=Query(text="ヤマダ イチロウ"))} == {PersonKind.JOGAI}
    assert selectors.person_record(atena_no=son.atena_no).status == Status.TENSHUTSU
    # Confirmed once only.
    refused(
        lambda: tenshutsu_kakutei(atena_no=son.atena_no, moved_in_on=day(37)),
        match=NOT_PENDING.format(atena_no=son.atena_no),
    )


def test_a_later_move_in_date_removes_as_of_the_planned_date() -> None:
    [record] = move_in([member()]).records
    leave([record.atena_no], notified=30, planned=40)
    [removed] = tenshutsu_kakutei(atena_no=record.atena_no, moved_in_on=day(44)).records
    assert removed.shojo_date == removed.idou_date == day(40)


def test_a_confirmation_needs_a_pending_move_out() -> None:
    [record] = move_in([member()]).records
    refused(
        lambda: tenshutsu_kakutei(atena_no=record.atena_no, moved_in_on=day(10)),
        match=NOT_PENDING.format(atena_no=record.atena_no),
        field="atena_no",
    )
    refused(lambda: tenshutsu_kakutei(atena_no=17, moved_in_on=day(10)), match="住民票はありません")
    leave([record.atena_no], notified=30, planned=40)
    refused(
        lambda: tenshutsu_kakutei(atena_no=record.atena_no, moved_in_on=tomorrow()),
        match="転入日が未来",
        field="moved_in_on",
    )


def test_the_head_cannot_leave_the_household_behind() -> None:
    head, wife, son = move_in(family_of_three()).records
    refused(lambda: leave([head.atena_no]), match=HEAD_LEAVES_ALONE)
    refused(lambda: leave([head.atena_no, son.atena_no]), match=HEAD_LEAVES_ALONE)
    # Others may leave on their own; the whole household may leave together.
    outcome = leave([head.atena_no, wife.atena_no, son.atena_no])
    assert len(outcome.records) == 3 and {r.status for r in outcome.records} == {
        Status.TENSHUTSU_YOTEI
    }
    assert {r.idou_id for r in outcome.records} == {outcome.idou.pk}
    for record in outcome.records:
        tenshutsu_kakutei(atena_no=record.atena_no, moved_in_on=day(40))
    assert selectors.household_as_of(head.household_no) == []
    assert selectors.household_as_of(head.household_no, day(39)) != []


def test_a_move_abroad_removes_at_once() -> None:
    [record] = move_in([member()]).records
    outcome = leave(
        [record.atena_no], notified=30, planned=35, abroad=True, destination="アメリカ合衆国"
    )
    [removed] = outcome.records
    assert (outcome.idou.kind, removed.idou_group) == (IdouKind.TENSHUTSU_KOKUGAI, "shojo")
    assert (removed.status, removed.shojo_date, removed.idou_date) == (
        Status.TENSHUTSU,
        day(35),
        day(35),
    )
    assert removed.shojo_reason == "tenshutsu_kokugai"
    assert person(record.atena_no).kind == PersonKind.JOGAI
    refused(
        lambda: tenshutsu_kakutei(atena_no=record.atena_no, moved_in_on=day(36)),
        match="転出予定がありません",
    )


@pytest.mark.parametrize(
    ("notified", "planned", "ok"),
    [(30, 44, True), (30, 45, False), (30, 16, True), (30, 15, False)],
)
def test_the_planned_date_is_within_14_days_of_the_filing(
    notified: int, planned: int, ok: bool
) -> None:
    [record] = move_in([member()]).records
    if ok:
        assert leave([record.atena_no], notified=notified, planned=planned).records
    else:
        refused(
            lambda: leave([record.atena_no], notified=notified, planned=planned),
            match=PLANNED_TOO_EARLY,
            field="moved_on",
        )


def test_move_out_refusals() -> None:
    _head, wife, son = move_in(family_of_three()).records
    [other] = move_in([member("佐藤", "一", "サトウ", "ハジメ")]).records
    shibou(atena_no=son.atena_no, died_on=day(20))
    refused(lambda: leave([son.atena_no]), match=NOT_A_RESIDENT.format(atena_no=son.atena_no))
    refused(lambda: leave([wife.atena_no, other.atena_no]), match="同じ世帯の人だけ")
    refused(lambda: leave([wife.atena_no], destination="  "), match="転出先住所は必須")
    refused(lambda: leave([]), match="転出する人を指定")
    refused(lambda: leave([wife.atena_no, wife.atena_no]), match="重複")
    refused(lambda: leave([wife.atena_no], notified=0, planned=-5), match="住民となった日より前")
    refused(
        lambda: tenshutsu_yotei(
            atena_nos=[wife.atena_no],
            moved_on=tomorrow(),
            notified_on=tomorrow(),
            destination=OSAKA,
        ),
        match="届出日が未来",
    )
