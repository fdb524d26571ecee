"""出生 and 死亡 (職権, from the 戸籍 notification), legal and illegal."""

from __future__ import annotations

import datetime as dt

import pytest

from kyodo.atena.models import PersonKind
from kyodo.atena.numbering import is_valid
from kyodo.units.juki import selectors
from kyodo.units.juki.models import IdouKind, Status
from kyodo.units.juki.services.common import NOT_A_RESIDENT
from kyodo.units.juki.services.inputs import MemberInput, Reader, read_member
from kyodo.units.juki.services.shussei_shibou import HEAD_DIED, shibou, shussei
from tests.juki.helpers import (
    BASE,
    HOME,
    day,
    family_of_three,
    member,
    move_in,
    person,
    refused,
    tomorrow,
)

pytestmark = pytest.mark.usefixtures("muni")


BORN = day(100)


def baby(born: dt.date = BORN, relationship: str = "子") -> MemberInput:
    return member("山田", "桜", "ヤマダ", "サクラ", birth=born, sex=2, relationship=relationship)


# --- 出生 -------------------------------------------------------------------------------------


def test_a_child_is_born_into_the_household() -> None:
    head, wife, son = move_in(family_of_three()).records
    outcome = shussei(household_no=head.household_no, child=baby(), notified_on=day(105))
    [child] = outcome.records
    assert (outcome.idou.kind, child.idou_group) == (IdouKind.SHUSSEI, "kisai")
    assert (child.rireki_no, child.status) == (1, Status.JUMIN)
    assert child.idou_date == child.jumin_date == child.address_date == day(100)
    assert child.notified_on == day(105)
    assert (child.household_no, child.zokugara, child.setainushi_name) == (
        head.household_no,
        "子",
        "山田\u3000太郎",
    )
    assert (child.town, child.banchi, child.previous_address) == (HOME.town, HOME.banchi, "")
    assert is_valid(child.atena_no) and len(child.juminhyo_code) == 11
    assert child.juminhyo_code not in {head.juminhyo_code, wife.juminhyo_code, son.juminhyo_code}
    assert person(child.atena_no).kind == PersonKind.JUMIN
    assert [r.atena_no for r in selectors.household_as_of(head.household_no)] == [
        head.atena_no,
        wife.atena_no,
        son.atena_no,
        child.atena_no,
    ]
    # Not in the household the day before the birth.
    assert child.atena_no not in {
        r.atena_no for r in selectors.household_as_of(head.household_no, day(99))
    }


def test_a_birth_from_api_style_input() -> None:
    [head] = move_in([member()]).records
    data = {
        "family_name": "山田",
        "given_name": "桜",
        "family_kana": "やまだ",
        "given_kana": "さくら",
        "birth_date": day(3).isoformat(),
        "sex": "F",
        "relationship": "子",
    }
    child = read_member(Reader(data, source="request", path="child"))
    [record] = shussei(household_no=head.household_no, child=child, notified_on=day(5)).records
    assert (record.family_kana, record.given_kana) == ("ヤマダ", "サクラ")
    data["relationship"] = "孫"
    refused(
        lambda: read_member(Reader(data, source="request", path="child")),
        match="子の子",
        field="child.relationship",
    )


def test_birth_refusals() -> None:
    [head] = move_in([member()]).records
    no = head.household_no
    refused(
        lambda: shussei(household_no=no, child=baby(relationship="世帯主"), notified_on=day(105)),
        match="新生児は世帯主になれません",
        field="relationship",
    )
    future = tomorrow()
    refused(
        lambda: shussei(household_no=no, child=baby(future), notified_on=future),
        match="生年月日が未来",
        field="birth_date",
    )
    refused(
        lambda: shussei(household_no=no, child=baby(), notified_on=day(99)),
        match="届出日が生年月日より前",
        field="notified_on",
    )
    refused(
        lambda: shussei(household_no=no + 1, child=baby(), notified_on=day(105)),
        match=f"世帯番号 {no + 1} に現在の世帯員がいません",
        field="household_no",
    )
    # Born before the household moved in: that child moves in (転入), it is not born here.
    refused(
        lambda: shussei(household_no=no, child=baby(day(-3)), notified_on=day(5)),
        match="世帯ができる前に生まれた",
        field="birth_date",
    )


# --- 死亡 -------------------------------------------------------------------------------------


def test_a_member_dies() -> None:
    head, wife, son = move_in(family_of_three()).records
    outcome = shibou(atena_no=son.atena_no, died_on=day(30), notified_on=day(32))
    [record] = outcome.records
    assert (outcome.idou.kind, record.idou_group, outcome.notices) == (
        IdouKind.SHIBOU,
        "shojo",
        [],
    )
    assert (record.rireki_no, record.status, record.shojo_reason) == (2, Status.SHIBOU, "shibou")
    assert record.idou_date == record.shojo_date == day(30)
    assert record.notified_on == day(32)
    assert (person(son.atena_no).kind, person(son.atena_no).household) == (PersonKind.JOGAI, None)
    assert [r.atena_no for r in selectors.household_as_of(head.household_no)] == [
        head.atena_no,
        wife.atena_no,
    ]
    # The 除票 can still be read.
    assert selectors.person_record(atena_no=son.atena_no).status == Status.SHIBOU
    # A dead person cannot die again.
    refused(
        lambda: shibou(atena_no=son.atena_no, died_on=day(31)),
        match=NOT_A_RESIDENT.format(atena_no=son.atena_no),
        field="atena_no",
    )


def test_the_death_of_a_head_asks_for_a_new_head() -> None:
    head, _wife, _son = move_in(family_of_three()).records
    assert shibou(atena_no=head.atena_no, died_on=day(30)).notices == [HEAD_DIED]
    [alone] = move_in([member("佐藤", "一", "サトウ", "ハジメ")]).records
    assert shibou(atena_no=alone.atena_no, died_on=day(30)).notices == []


def test_death_refusals() -> None:
    [head] = move_in([member()]).records
    [child] = shussei(household_no=head.household_no, child=baby(), notified_on=day(105)).records
    refused(
        lambda: shibou(atena_no=child.atena_no, died_on=day(99)),
        match="死亡日が生年月日より前",
        field="died_on",
    )
    refused(
        lambda: shibou(atena_no=head.atena_no, died_on=tomorrow()),
        match="死亡日が未来",
        field="died_on",
    )
    refused(
        lambda: shibou(atena_no=head.atena_no, died_on=BASE - dt.timedelta(days=1)),
        match="死亡日が住民となった日より前",
        field="died_on",
    )
    refused(lambda: shibou(atena_no=12345, died_on=day(1)), match="住民票はありません")
