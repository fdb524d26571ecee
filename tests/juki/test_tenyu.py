"""転入 and 再転入: what a move-in writes, how the person is found afterwards, and every
refusal (with nothing written)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from kyodo.atena.models import PersonKind
from kyodo.atena.numbering import is_valid
from kyodo.atena.search import Query
from kyodo.atena.selectors import person_find
from kyodo.units.juki import selectors
from kyodo.units.juki.models import IdouKind, JuminRecord, Status
from kyodo.units.juki.services.common import Address
from kyodo.units.juki.services.shussei_shibou import shibou
from kyodo.units.juki.services.tenshutsu import tenshutsu_kakutei, tenshutsu_yotei
from kyodo.units.juki.services.tenyu import (
    ALREADY_RESIDENT,
    DECEASED,
    DUPLICATE_MY_NUMBER,
    NOTIFIED_BEFORE_MOVE,
)
from tests.juki.helpers import (
    BASE,
    HOME,
    PREVIOUS,
    bad_my_number,
    day,
    family_of_three,
    member,
    member_data,
    move_in,
    move_in_json,
    my_number,
    person,
    refused,
    tomorrow,
)

pytestmark = pytest.mark.usefixtures("muni")


def found(text: str = "", birth: str = "", address: str = "") -> set[int]:
    query = Query(text=text, birth=birth, address=address)
    return {p.atena_no for p in person_find(query=query)}


# --- 転入 -------------------------------------------------------------------------------------


def test_a_household_moves_in() -> None:
    outcome = move_in(family_of_three(), notified_on=day(3))
    head, wife, son = outcome.records
    assert outcome.idou.kind == IdouKind.TENYU and outcome.notices == []
    assert {r.household_no for r in outcome.records} == {outcome.idou.household_no}
    household_no = head.household_no
    assert is_valid(household_no)
    atena_nos = [r.atena_no for r in outcome.records]
    assert len(set(atena_nos)) == 3 and all(is_valid(n) for n in atena_nos)
    codes = [r.juminhyo_code for r in outcome.records]
    assert len(set(codes)) == 3
    assert all(len(c) == 11 and c.isascii() and c.isdigit() for c in codes)
    for record in outcome.records:
        assert (record.rireki_no, record.status) == (1, Status.JUMIN)
        assert (record.idou_kind, record.idou_group) == ("tenyu", "kisai")
        assert (record.idou_date, record.notified_on) == (BASE, day(3))
        assert record.jumin_date == record.address_date == BASE
        assert record.previous_address == PREVIOUS and record.before_move_address == ""
        assert (record.town, record.banchi, record.postal_code) == (
            HOME.town,
            HOME.banchi,
            HOME.postal_code,
        )
        assert record.setainushi_name == "山田\u3000太郎"
        assert record.shojo_date is None and record.tenshutsu_yotei_date is None
    assert [r.zokugara for r in outcome.records] == ["世帯主", "妻", "子"]
    # The 宛名 projection: current residents of one household, in step with the snapshots.
    for record in outcome.records:
        projected = person(record.atena_no)
        assert projected.kind == PersonKind.JUMIN
        assert projected.household.household_no == household_no
        assert (projected.household.town, projected.household.banchi) == (HOME.town, HOME.banchi)
        assert projected.juminhyo_code == record.juminhyo_code
        assert projected.relationship == record.zokugara
        assert selectors.is_resident(record.atena_no)
    assert person(head.atena_no).my_number_index != ""
    assert person(wife.atena_no).my_number_index == ""
    assert selectors.household_as_of(household_no) == [head, wife, son]


def test_a_move_in_from_abroad() -> None:
    outcome = move_in([member()], from_abroad=True, previous_address="アメリカ合衆国")
    assert outcome.idou.kind == IdouKind.TENYU_KOKUGAI
    assert outcome.records[0].idou_group == "kisai"


def test_the_new_residents_are_found_by_fuzzy_kana_itaiji_birth_and_address() -> None:
    head, wife, son = (r.atena_no for r in move_in(family_of_three()).records)
    watanabe = (
        move_in(
            [member("渡邊", "健", "ワタナベ", "ケン", birth=dt.date(1990, 2, 3))],
            address=Address(town="東町", banchi="9"),
        )
        .records[0]
        .atena_no
    )
    assert found("やまだ たろう") == {head}
    assert found("ﾔﾏﾀﾞ") == {head, wife, son}
    assert found("ヤマタ ハナコ") == {wife}  # 濁点 folded
    assert found("山田太郎") == {head}
    assert found("渡辺") == found("渡邊") == found("渡邉") == {watanabe}
    assert found("わたなべ けん") == {watanabe}
    assert found(birth="S55.4.1") == {head}
    assert found(birth="昭和57年7月7日") == {wife}
    assert found(birth="H2.2.3") == {watanabe}
    assert found(address="本町1-2-3") == {head, wife, son}
    assert found(address="東町") == {watanabe}
    assert found("ヤマダ", birth="2010-01-15") == {son}
    assert found(str(head)) == {head}


def test_a_foreign_resident_moves_in_with_the_30_45_items() -> None:
    data = member_data(
        family_name="NGUYEN",
        given_name=None,
        family_kana=None,
        given_kana=None,
        alpha_name="NGUYEN VAN AN",
        nationality="vn",
        category="chuchoki",
        residence_status="技術・人文知識・国際業務",
        period_of_stay="5年",
        period_end="2030-03-31",
        residence_card_no="AB12345678CD",
        birth_date="1995-05-05",
    )
    [record] = move_in_json(data).records
    assert record.nationality == "VN" and record.is_foreign
    assert record.foreign == {
        "category": "chuchoki",
        "residence_status": "技術・人文知識・国際業務",
        "period_of_stay": "5年",
        "period_end": "2030-03-31",
        "residence_card_no": "AB12345678CD",
    }
    assert found("nguyen van an") == {record.atena_no}


# --- refusals ---------------------------------------------------------------------------------


FAMILY = [
    member_data(my_number=my_number("12345678901")),
    member_data(
        given_name="花子", given_kana="ハナコ", sex="F", relationship="妻", birth_date="1982-07-07"
    ),
]
VIETNAMESE = {"nationality": "VN", "alpha_name": "NGUYEN THI HOA"}
CHUCHOKI = {
    "category": "chuchoki",
    "residence_status": "留学",
    "period_of_stay": "2年",
    "period_end": "2027-03-31",
}


def _with(index: int, **changes: Any) -> list[dict[str, Any]]:
    members = [dict(m) for m in FAMILY]
    members[index].update(changes)
    return [{k: v for k, v in m.items() if v is not None} for m in members]


def case(id: str, members: list[dict[str, Any]], field: str, match: str) -> Any:
    return pytest.param(members, field, match, id=id)


BAD_MEMBERS = [
    case("no head", _with(0, relationship="妻"), "members[].relationship", "世帯主は1人.*0人"),
    case(
        "two heads", _with(1, relationship="世帯主"), "members[].relationship", "世帯主は1人.*2人"
    ),
    case("孫", _with(1, relationship="孫"), "members[1].relationship", "「孫」.*「子の子」"),
    case("長男", _with(1, relationship="長男"), "members[1].relationship", "「子」と記録"),
    case(
        "my number check digit",
        _with(0, my_number=bad_my_number("12345678901")),
        "members[0].my_number",
        "検査用数字",
    ),
    case(
        "same my number twice",
        _with(1, my_number=my_number("12345678901")),
        "members[].my_number",
        DUPLICATE_MY_NUMBER,
    ),
    case("kanji as kana", _with(1, family_kana="山田"), "members[1].family_kana", "カタカナ"),
    case("latin as kana", _with(1, given_kana="hanako"), "members[1].given_kana", "カタカナ"),
    case("no kana", _with(1, family_kana=None), "members[1].family_kana", "必須項目"),
    case(
        "impossible date", _with(1, birth_date="1982-02-30"), "members[1].birth_date", "YYYY-MM-DD"
    ),
    case(
        "born after moving in",
        _with(1, birth_date=day(1).isoformat()),
        "members[1].birth_date",
        "異動日が生年月日より前",
    ),
    case(
        "the same person twice",
        _with(
            1,
            given_name="太郎",
            given_kana="タロウ",
            sex="M",
            birth_date="1980-04-01",
            my_number=None,
            relationship="子",
        ),
        "members[1]",
        "members\\[0\\] と同じ人です",
    ),
    case("sex", _with(1, sex="X"), "members[1].sex", "M または F"),
    case("foreign without 区分", _with(1, **VIETNAMESE), "members[1].category", "必須項目"),
    case(
        "foreign with an unknown 区分",
        _with(1, **VIETNAMESE, category="visa"),
        "members[1].category",
        "法第30条の45区分は chuchoki",
    ),
    case(
        "foreign without card number",
        _with(1, **VIETNAMESE, **CHUCHOKI),
        "members[1].residence_card_no",
        "必須項目",
    ),
    case(
        "foreign without alphabet name",
        _with(1, nationality="VN", category="tokubetsu_eijusha", special_permanent_card_no="1"),
        "members[1].alpha_name",
        "必須項目",
    ),
]


@pytest.mark.parametrize(("members", "field", "match"), BAD_MEMBERS)
def test_bad_members_are_refused_and_nothing_is_written(
    members: list[dict[str, Any]], field: str, match: str
) -> None:
    error = refused(lambda: move_in_json(*members), match=match, field=field)
    assert error.source == "test.json"
    assert f"test.json, field '{field}'" in error.message


def test_dates_of_the_filing_are_checked() -> None:
    refused(
        lambda: move_in([member()], moved_on=tomorrow()), match="異動日が未来", field="moved_on"
    )
    refused(
        lambda: move_in([member()], moved_on=BASE, notified_on=tomorrow()),
        match="届出日が未来",
        field="notified_on",
    )
    refused(
        lambda: move_in([member()], moved_on=day(5), notified_on=day(4)),
        match=NOTIFIED_BEFORE_MOVE,
        field="notified_on",
    )


def test_a_current_resident_cannot_move_in_again() -> None:
    [resident] = move_in(
        [member("渡邊", "健", "ワタナベ", "ケン", my_number=my_number("11112222333"))]
    ).records
    name = ALREADY_RESIDENT.split("（")[0].format(name="").strip()  # "は既に住民です"
    # The same name (in another 異体字) and birth date.
    refused(lambda: move_in([member("渡辺", "健", "ワタナベ", "ケン")]), match=name)
    # The same 個人番号 under another name.
    other = member("佐藤", "健", "サトウ", "ケン", my_number=my_number("11112222333"))
    error = refused(lambda: move_in([other]), match=str(resident.atena_no), field="members[0]")
    assert "既に住民" in error.reason
    # Also while a 転出 is pending: still a resident.
    tenshutsu_yotei(
        atena_nos=[resident.atena_no],
        moved_on=day(20),
        notified_on=day(15),
        destination="大阪府大阪市",
    )
    refused(
        lambda: move_in([member("渡邊", "健", "ワタナベ", "ケン")], moved_on=day(16)), match=name
    )


def test_a_deceased_person_cannot_move_in() -> None:
    [record] = move_in([member()]).records
    shibou(atena_no=record.atena_no, died_on=day(10))
    error = refused(lambda: move_in([member()], moved_on=day(20)), match="死亡により消除")
    assert error.reason == DECEASED.format(name="山田太郎")


# --- 再転入 -----------------------------------------------------------------------------------


def _leave(atena_no: int, *, notified: int, planned: int, arrived: int) -> None:
    tenshutsu_yotei(
        atena_nos=[atena_no],
        moved_on=day(planned),
        notified_on=day(notified),
        destination="富山県富山市新桜町7-38",
    )
    tenshutsu_kakutei(atena_no=atena_no, moved_in_on=day(arrived))


def test_a_former_resident_moves_in_again_under_the_same_numbers() -> None:
    [first] = move_in([member(my_number=my_number("12345678901"))]).records
    _leave(first.atena_no, notified=30, planned=35, arrived=34)
    assert person(first.atena_no).kind == PersonKind.JOGAI
    assert found("ヤマダ") == {first.atena_no}  # 除票 stay searchable, as 除票
    [again] = move_in([member()], moved_on=day(60), previous_address="富山県富山市").records
    assert (again.atena_no, again.juminhyo_code) == (first.atena_no, first.juminhyo_code)
    assert again.household_no != first.household_no and is_valid(again.household_no)
    assert (again.rireki_no, again.status) == (4, Status.JUMIN)
    assert again.jumin_date == again.address_date == day(60)
    assert (again.shojo_date, again.destination_address, again.tenshutsu_yotei_date) == (
        None,
        "",
        None,
    )
    history = selectors.history(first.atena_no)
    assert [(r.rireki_no, r.idou_kind, r.status, r.idou_date) for r in history] == [
        (1, "tenyu", "jumin", BASE),
        (2, "tenshutsu_yotei", "tenshutsu_yotei", day(30)),
        (3, "tenshutsu", "tenshutsu", day(34)),
        (4, "tenyu", "jumin", day(60)),
    ]
    assert person(first.atena_no).kind == PersonKind.JUMIN
    # Found by 個人番号 after a change of name (marriage): the same person again, both names
    # searchable.
    _leave(first.atena_no, notified=70, planned=70, arrived=70)
    renamed = member("佐藤", "太郎", "サトウ", "タロウ", my_number=my_number("12345678901"))
    [third] = move_in([renamed], moved_on=day(90)).records
    assert (third.atena_no, third.rireki_no) == (first.atena_no, 7)
    assert found("サトウ タロウ") == found("ヤマダ タロウ") == {first.atena_no}
    assert JuminRecord.objects.filter(atena_no=first.atena_no).count() == 7


def test_a_former_resident_listed_twice_is_refused() -> None:
    [first] = move_in([member(my_number=my_number("12345678901"))]).records
    _leave(first.atena_no, notified=30, planned=35, arrived=35)
    # Once by 個人番号 under a new name, once by the old name: the same 住民票.
    renamed = member("佐藤", "太郎", "サトウ", "タロウ", my_number=my_number("12345678901"))
    refused(
        lambda: move_in([renamed, member(relationship="子")], moved_on=day(60)),
        match="members\\[0\\] と同じ人です",
        field="members[1]",
    )


def test_a_return_cannot_be_dated_before_the_removal() -> None:
    [first] = move_in([member()]).records
    _leave(first.atena_no, notified=30, planned=35, arrived=35)
    refused(lambda: move_in([member()], moved_on=day(34)), match="消除", field="moved_on")
