"""転居 and 世帯変更 (世帯分離, 世帯合併, 世帯主変更), legal and illegal."""

from __future__ import annotations

import datetime as dt

import pytest

from kyodo.atena.models import Household
from kyodo.atena.numbering import is_valid
from kyodo.atena.search import Query, person_query
from kyodo.units.juki import selectors
from kyodo.units.juki.models import IdouKind, JuminRecord
from kyodo.units.juki.services.common import Address
from kyodo.units.juki.services.shussei_shibou import shibou
from kyodo.units.juki.services.tenkyo_setai import (
    NO_MEMBERS,
    SAME_ADDRESS,
    setai_bunri,
    setai_gappei,
    setainushi_henko,
    tenkyo,
)
from tests.juki.helpers import (
    BASE,
    ELSEWHERE,
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


def household_of(household_no: int, as_of: dt.date | None = None) -> list[tuple[int, str]]:
    return [(r.atena_no, r.zokugara) for r in selectors.household_as_of(household_no, as_of)]


def found_at(address: str) -> set[int]:
    return set(person_query(Query(address=address)).values_list("atena_no", flat=True))


# --- 転居 -------------------------------------------------------------------------------------


def test_a_household_moves_within_the_municipality() -> None:
    records = move_in(family_of_three()).records
    household_no = records[0].household_no
    outcome = tenkyo(
        household_no=household_no, moved_on=day(50), notified_on=day(52), address=ELSEWHERE
    )
    assert outcome.idou.kind == IdouKind.TENKYO and len(outcome.records) == 3
    for before, after in zip(records, outcome.records, strict=True):
        assert after.atena_no == before.atena_no
        assert (after.rireki_no, after.status, after.idou_group) == (2, "jumin", "shusei")
        assert (after.idou_date, after.notified_on) == (day(50), day(52))
        assert (after.town, after.banchi, after.katagaki) == (
            ELSEWHERE.town,
            ELSEWHERE.banchi,
            ELSEWHERE.katagaki,
        )
        assert after.before_move_address == "本町1-2-3" == before.address
        assert after.address_date == day(50) and after.jumin_date == BASE
        assert after.household_no == household_no and after.zokugara == before.zokugara
        assert after.previous_address == before.previous_address
    household = Household.objects.get(household_no=household_no)
    assert (household.town, household.banchi, household.katagaki) == (
        ELSEWHERE.town,
        ELSEWHERE.banchi,
        ELSEWHERE.katagaki,
    )
    everyone = {r.atena_no for r in records}
    assert found_at("新町5-6") == everyone
    assert found_at("本町1-2-3") == everyone  # past addresses stay searchable
    assert all(person(n).household.household_no == household_no for n in everyone)
    # A 転居 within the same building (another 方書) is a 転居 too.
    same_lot = Address(town=ELSEWHERE.town, banchi=ELSEWHERE.banchi, katagaki="コーポ新町202")
    [moved, *_] = tenkyo(
        household_no=household_no, moved_on=day(60), notified_on=day(60), address=same_lot
    ).records
    assert moved.before_move_address == "新町5-6\u3000コーポ新町101"


def test_move_within_refusals() -> None:
    household_no = move_in(family_of_three()).records[0].household_no

    def move(address: Address = ELSEWHERE, moved: int = 50, notified: int = 50, no: int = 0):
        return tenkyo(
            household_no=household_no + no,
            moved_on=day(moved),
            notified_on=day(notified),
            address=address,
        )

    refused(lambda: move(HOME), match=SAME_ADDRESS, field="address")
    refused(lambda: move(no=1), match=NO_MEMBERS.format(household_no=household_no + 1))
    refused(lambda: move(moved=51), match="届出日が異動日より前", field="notified_on")
    refused(lambda: move(moved=-1, notified=1), match="住民となった日より前", field="moved_on")
    refused(
        lambda: tenkyo(
            household_no=household_no,
            moved_on=tomorrow(),
            notified_on=tomorrow(),
            address=ELSEWHERE,
        ),
        match="異動日が未来",
    )


# --- 世帯分離 ---------------------------------------------------------------------------------


def test_a_member_forms_a_household_of_their_own() -> None:
    head, wife, son = move_in(family_of_three()).records
    outcome = setai_bunri(
        household_no=head.household_no,
        leaving={son.atena_no: "世帯主"},
        changed_on=day(100),
        notified_on=day(101),
    )
    [split] = outcome.records
    new_no = split.household_no
    assert new_no != head.household_no and is_valid(new_no)
    assert (outcome.idou.kind, outcome.idou.household_no) == (IdouKind.SETAI_BUNRI, new_no)
    assert (split.zokugara, split.setainushi_name, split.rireki_no) == (
        "世帯主",
        "山田\u3000一郎",
        2,
    )
    assert (split.town, split.banchi) == (HOME.town, HOME.banchi)  # same address
    assert household_of(new_no) == [(son.atena_no, "世帯主")]
    assert household_of(head.household_no) == [(head.atena_no, "世帯主"), (wife.atena_no, "妻")]
    assert [r.atena_no for r in selectors.household_as_of(head.household_no, day(99))] == [
        head.atena_no,
        wife.atena_no,
        son.atena_no,
    ]
    assert Household.objects.get(household_no=new_no).town == HOME.town
    assert person(son.atena_no).household.household_no == new_no
    # Unchanged members get no snapshot.
    assert selectors.record_as_of(head.atena_no).rireki_no == 1


def test_household_split_refusals() -> None:
    head, wife, son = move_in(family_of_three()).records
    no = head.household_no

    def split(leaving: dict[int, str], household_no: int = no):
        return setai_bunri(household_no=household_no, leaving=leaving, changed_on=day(100))

    refused(lambda: split({head.atena_no: "世帯主"}), match="世帯主は1人でなければ.*0人")
    refused(lambda: split({son.atena_no: "子"}), match="新しい世帯の世帯主は1人")
    refused(
        lambda: split({wife.atena_no: "世帯主", son.atena_no: "世帯主"}),
        match="新しい世帯の世帯主は1人",
    )
    refused(lambda: split({}), match="新しい世帯の世帯主は1人")
    refused(
        lambda: split({head.atena_no: "夫", wife.atena_no: "世帯主", son.atena_no: "子"}),
        match="元の世帯が残りません",
    )
    refused(lambda: split({999: "世帯主"}), match="宛名番号 999 はこの世帯の世帯員ではありません")
    refused(
        lambda: split({wife.atena_no: "世帯主", son.atena_no: "孫"}),
        match="子の子",
        field=f"leaving.{son.atena_no}",
    )
    refused(lambda: split({son.atena_no: "世帯主"}, no + 1), match="現在の世帯員がいません")


# --- 世帯合併 ---------------------------------------------------------------------------------


def test_two_households_at_one_address_merge() -> None:
    head, wife, son = move_in(family_of_three()).records
    [lodger] = move_in([member("佐藤", "一", "サトウ", "ハジメ")], moved_on=day(5)).records
    outcome = setai_gappei(
        from_household_no=lodger.household_no,
        into_household_no=head.household_no,
        zokugara={lodger.atena_no: "同居人"},
        changed_on=day(30),
    )
    [merged] = outcome.records
    assert (outcome.idou.kind, outcome.idou.household_no) == (
        IdouKind.SETAI_GAPPEI,
        head.household_no,
    )
    assert (merged.household_no, merged.zokugara, merged.setainushi_name) == (
        head.household_no,
        "同居人",
        "山田\u3000太郎",
    )
    assert household_of(head.household_no) == [
        (head.atena_no, "世帯主"),
        (wife.atena_no, "妻"),
        (son.atena_no, "子"),
        (lodger.atena_no, "同居人"),
    ]
    assert household_of(lodger.household_no) == []
    assert household_of(lodger.household_no, day(29)) == [(lodger.atena_no, "世帯主")]
    assert person(lodger.atena_no).household.household_no == head.household_no


def test_household_merge_refusals() -> None:
    head, _wife, son = move_in(family_of_three()).records
    [lodger] = move_in([member("佐藤", "一", "サトウ", "ハジメ")], moved_on=day(5)).records
    [far] = move_in([member("鈴木", "二郎", "スズキ", "ジロウ")], address=ELSEWHERE).records

    def merge(source: int, into: int, zokugara: dict[int, str]):
        return setai_gappei(
            from_household_no=source, into_household_no=into, zokugara=zokugara, changed_on=day(30)
        )

    refused(
        lambda: merge(far.household_no, head.household_no, {far.atena_no: "同居人"}),
        match="同じ住所の世帯どうしに限ります",
        field="into",
    )
    refused(
        lambda: merge(lodger.household_no, head.household_no, {}),
        match=f"宛名番号 {lodger.atena_no} の新しい続柄がありません",
    )
    refused(
        lambda: merge(lodger.household_no, head.household_no, {lodger.atena_no: "世帯主"}),
        match="既に世帯主がいます",
    )
    refused(
        lambda: merge(lodger.household_no, head.household_no, {lodger.atena_no: "甥"}),
        match="「甥」",
    )
    refused(
        lambda: merge(head.household_no, head.household_no, {son.atena_no: "子"}),
        match="同じ世帯どうし",
    )
    refused(
        lambda: merge(lodger.household_no + 1, head.household_no, {}),
        match="現在の世帯員がいません",
    )


# --- 世帯主変更 -------------------------------------------------------------------------------


def test_a_new_head_restates_every_relationship() -> None:
    head, wife, son = move_in(family_of_three()).records
    outcome = setainushi_henko(
        household_no=head.household_no,
        new_head=wife.atena_no,
        zokugara={head.atena_no: "夫", son.atena_no: "子"},
        changed_on=day(200),
    )
    assert outcome.idou.kind == IdouKind.SETAINUSHI_HENKO and len(outcome.records) == 3
    assert {r.setainushi_name for r in outcome.records} == {"山田\u3000花子"}
    assert household_of(head.household_no) == [
        (wife.atena_no, "世帯主"),
        (head.atena_no, "夫"),
        (son.atena_no, "子"),
    ]
    assert [r.zokugara for r in outcome.records].count("世帯主") == 1
    assert person(head.atena_no).relationship == "夫"
    assert person(wife.atena_no).relationship == "世帯主"


def test_a_new_head_after_the_head_died() -> None:
    head, wife, son = move_in(family_of_three()).records
    shibou(atena_no=head.atena_no, died_on=day(10))
    assert [z for _n, z in household_of(head.household_no)] == ["妻", "子"]
    setainushi_henko(
        household_no=head.household_no,
        new_head=wife.atena_no,
        zokugara={son.atena_no: "子"},
        changed_on=day(12),
    )
    assert household_of(head.household_no) == [(wife.atena_no, "世帯主"), (son.atena_no, "子")]
    assert JuminRecord.objects.filter(atena_no=head.atena_no).count() == 2  # the dead: untouched


def test_head_change_refusals() -> None:
    head, wife, son = move_in(family_of_three()).records
    [other] = move_in([member("佐藤", "一", "サトウ", "ハジメ")]).records
    no = head.household_no

    def change(new_head: int, zokugara: dict[int, str], household_no: int = no):
        return setainushi_henko(
            household_no=household_no, new_head=new_head, zokugara=zokugara, changed_on=day(200)
        )

    refused(
        lambda: change(other.atena_no, {head.atena_no: "同居人"}),
        match="新しい世帯主はこの世帯の世帯員ではありません",
        field="new_head",
    )
    refused(
        lambda: change(wife.atena_no, {head.atena_no: "夫"}),
        match=f"宛名番号 {son.atena_no} の新しい続柄がありません",
        field=f"zokugara.{son.atena_no}",
    )
    refused(
        lambda: change(wife.atena_no, {head.atena_no: "世帯主", son.atena_no: "子"}),
        match="世帯主は1人でなければなりません",
    )
    refused(
        lambda: change(wife.atena_no, {head.atena_no: "夫", son.atena_no: "長男"}),
        match="「長男」",
        field=f"zokugara.{son.atena_no}",
    )
    refused(lambda: change(wife.atena_no, {}, no + 1), match="現在の世帯員がいません")
    refused(
        lambda: setainushi_henko(
            household_no=no,
            new_head=wife.atena_no,
            zokugara={head.atena_no: "夫", son.atena_no: "子"},
            changed_on=day(-1),
        ),
        match="住民となった日より前",
        field="changed_on",
    )
