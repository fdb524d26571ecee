"""職権修正, 職権消除 and 異動の取消し, legal and illegal."""

from __future__ import annotations

import datetime as dt

import pytest

from kyodo.atena.models import Household, PersonKind
from kyodo.atena.search import Query
from kyodo.atena.selectors import person_find
from kyodo.platform.errors import NotFound
from kyodo.units.juki import selectors
from kyodo.units.juki.models import Idou, IdouKind, Status
from kyodo.units.juki.services.common import NOT_A_RESIDENT
from kyodo.units.juki.services.shokken import (
    ALREADY_CANCELLED,
    HOUSEHOLD_CHANGED_SINCE,
    LATER_CHANGES,
    NOT_CORRECTABLE,
    shokken_shojo,
    shokken_shusei,
    torikeshi,
)
from kyodo.units.juki.services.shussei_shibou import shibou, shussei
from kyodo.units.juki.services.tenkyo_setai import setai_bunri, setainushi_henko, tenkyo
from kyodo.units.juki.services.tenshutsu import tenshutsu_kakutei, tenshutsu_yotei
from tests.juki.helpers import (
    BASE,
    ELSEWHERE,
    HOME,
    counts,
    day,
    family_of_three,
    member,
    move_in,
    person,
    refused,
    tomorrow,
)

pytestmark = pytest.mark.usefixtures("muni")


def names(text: str) -> set[int]:
    return {p.atena_no for p in person_find(query=Query(text=text))}


# --- 職権修正 ---------------------------------------------------------------------------------


def test_a_correction_appends_a_full_snapshot() -> None:
    head, wife, _son = move_in(family_of_three()).records
    outcome = shokken_shusei(
        atena_no=wife.atena_no,
        changes={"family_name": "山﨑", "family_kana": "ヤマザキ", "kyuuji": "山田"},
        corrected_on=day(20),
        reason="戸籍照合による誤記修正",
    )
    [record] = outcome.records
    assert (outcome.idou.kind, outcome.idou.note, outcome.idou.notified_on) == (
        IdouKind.SHOKKEN_SHUSEI,
        "戸籍照合による誤記修正",
        None,
    )
    assert (record.rireki_no, record.idou_group, record.status) == (2, "shusei", Status.JUMIN)
    assert (record.family_name, record.family_kana, record.kyuuji) == ("山﨑", "ヤマザキ", "山田")
    # Everything else is carried over unchanged.
    for name in (
        "given_name",
        "birth_date",
        "household_no",
        "zokugara",
        "juminhyo_code",
        "town",
        "banchi",
        "jumin_date",
        "address_date",
        "previous_address",
    ):
        assert getattr(record, name) == getattr(wife, name), name
    assert person(wife.atena_no).family_name == "山﨑"
    assert names("山崎花子") == names("ヤマザキ ハナコ") == {wife.atena_no}
    assert wife.atena_no in names("ヤマダ ハナコ")  # the former name stays searchable
    assert head.atena_no not in names("ヤマザキ")


@pytest.mark.parametrize(
    "item", ["household_no", "zokugara", "status", "juminhyo_code", "town", "shojo_date"]
)
def test_items_with_their_own_idou_cannot_be_corrected(item: str) -> None:
    [record] = move_in([member()]).records
    refused(
        lambda: shokken_shusei(
            atena_no=record.atena_no, changes={item: "x"}, corrected_on=day(1), reason="誤記"
        ),
        match=NOT_CORRECTABLE.format(item=item),
        field=item,
    )


def test_correction_refusals() -> None:
    [record] = move_in([member()]).records
    no = record.atena_no

    def correct(changes: dict[str, object], reason: str = "誤記", on: dt.date | None = None):
        return shokken_shusei(
            atena_no=no, changes=changes, corrected_on=on or day(10), reason=reason
        )

    refused(
        lambda: correct({"given_name": "次郎"}, reason=" "), match="修正理由は必須", field="reason"
    )
    refused(lambda: correct({}), match="修正する項目がありません")
    refused(lambda: correct({"given_name": "次郎"}, on=tomorrow()), match="異動日が未来")
    refused(lambda: correct({"birth_date": tomorrow()}), match="生年月日が未来")
    refused(
        lambda: correct({"birth_date": day(1)}),
        match="生年月日が住民となった日より後",
        field="birth_date",
    )
    refused(
        lambda: correct({"jumin_date": dt.date(1970, 1, 1)}),
        match="生年月日が住民となった日より後",
        field="birth_date",
    )
    refused(
        lambda: correct({"address_date": BASE - dt.timedelta(days=1)}),
        match="住所を定めた年月日が住民となった日より前",
        field="address_date",
    )
    # Both together are consistent: allowed.
    [fixed] = correct({"birth_date": day(1), "jumin_date": day(2), "address_date": day(2)}).records
    assert (fixed.birth_date, fixed.jumin_date) == (day(1), day(2))


def test_a_born_here_childs_birth_date_correction_carries_the_dates_along() -> None:
    [head] = move_in([member()]).records
    child = member("山田", "桜", "ヤマダ", "サクラ", birth=day(100), sex=2, relationship="子")
    [born] = shussei(household_no=head.household_no, child=child, notified_on=day(110)).records
    tenkyo(
        household_no=head.household_no, moved_on=day(120), notified_on=day(120), address=ELSEWHERE
    )
    [fixed] = shokken_shusei(
        atena_no=born.atena_no,
        changes={"birth_date": day(102)},
        corrected_on=day(130),
        reason="出生届の記載誤り",
    ).records
    assert (fixed.birth_date, fixed.jumin_date, fixed.address_date) == (
        day(102),
        day(102),
        day(120),
    )


def test_a_removed_record_can_be_corrected_but_not_a_cancelled_one() -> None:
    [record] = move_in([member()]).records
    shibou(atena_no=record.atena_no, died_on=day(5))
    [fixed] = shokken_shusei(
        atena_no=record.atena_no,
        changes={"given_kana": "タロー"},
        corrected_on=day(6),
        reason="誤記",
    ).records
    assert (fixed.status, fixed.given_kana, fixed.shojo_date) == (Status.SHIBOU, "タロー", day(5))
    [other] = move_in([member("佐藤", "一", "サトウ", "ハジメ")]).records
    torikeshi(idou_id=other.idou_id, reason="二重入力")
    refused(
        lambda: shokken_shusei(
            atena_no=other.atena_no,
            changes={"given_kana": "イチ"},
            corrected_on=day(6),
            reason="誤記",
        ),
        match="取り消された記録は修正できません",
    )


# --- 職権消除 ---------------------------------------------------------------------------------


def test_an_ex_officio_removal() -> None:
    head, wife, son = move_in(family_of_three()).records
    outcome = shokken_shojo(
        atena_no=son.atena_no, removed_on=day(40), reason="実態調査により居住なし"
    )
    [record] = outcome.records
    assert (outcome.idou.kind, record.idou_group, outcome.idou.note) == (
        IdouKind.SHOKKEN_SHOJO,
        "shojo",
        "実態調査により居住なし",
    )
    assert (record.status, record.shojo_date, record.shojo_reason) == (
        Status.SHOJO,
        day(40),
        "shokken_shojo",
    )
    assert person(son.atena_no).kind == PersonKind.JOGAI
    assert selectors.person_record(atena_no=son.atena_no).status == Status.SHOJO
    refused(
        lambda: shokken_shojo(atena_no=head.atena_no, removed_on=day(40), reason="実態調査"),
        match="世帯主を消除する前に世帯主変更",
    )
    refused(
        lambda: shokken_shojo(atena_no=wife.atena_no, removed_on=day(40), reason=""),
        match="消除理由は必須",
        field="reason",
    )
    refused(
        lambda: shokken_shojo(atena_no=son.atena_no, removed_on=day(41), reason="実態調査"),
        match=NOT_A_RESIDENT.format(atena_no=son.atena_no),
    )
    refused(
        lambda: shokken_shojo(atena_no=wife.atena_no, removed_on=day(-1), reason="実態調査"),
        match="消除日が住民となった日より前",
    )
    refused(
        lambda: shokken_shojo(atena_no=wife.atena_no, removed_on=tomorrow(), reason="実態調査"),
        match="消除日が未来",
    )
    shokken_shojo(atena_no=wife.atena_no, removed_on=day(40), reason="実態調査")
    # Now alone, the head can be removed too.
    assert shokken_shojo(atena_no=head.atena_no, removed_on=day(40), reason="実態調査").records


# --- 異動の取消し -----------------------------------------------------------------------------


def test_cancelling_a_move_in_voids_the_persons() -> None:
    outcome = move_in(family_of_three())
    cancel = torikeshi(idou_id=outcome.idou.pk, reason="二重入力")
    assert (cancel.idou.kind, cancel.idou.cancels_id, cancel.idou.idou_date) == (
        IdouKind.TORIKESHI,
        outcome.idou.pk,
        BASE,
    )
    assert len(cancel.records) == 3
    for record in cancel.records:
        assert (record.rireki_no, record.status, record.idou_group) == (2, Status.VOID, "shojo")
        assert person(record.atena_no).kind == PersonKind.VOID
        assert person(record.atena_no).household is None
        assert not selectors.is_resident(record.atena_no)
        with pytest.raises(NotFound):
            selectors.person_record(atena_no=record.atena_no)
        with pytest.raises(NotFound):
            selectors.person_record(atena_no=record.atena_no, as_of=day(1))
    assert not [p for p in person_find(query=Query(text="ヤマダ")) if p.kind == PersonKind.JUMIN]
    assert selectors.household_as_of(outcome.records[0].household_no, day(1)) == []
    # Cancelled persons are nobody: the same household can move in again.
    again = move_in(family_of_three(), moved_on=day(1)).records
    assert {r.status for r in again} == {Status.JUMIN}


def test_cancelling_a_return_leaves_the_removed_record() -> None:
    [first] = move_in([member()]).records
    tenshutsu_yotei(
        atena_nos=[first.atena_no], moved_on=day(10), notified_on=day(10), destination="大阪府"
    )
    [removed] = tenshutsu_kakutei(atena_no=first.atena_no, moved_in_on=day(10)).records
    returned = move_in([member()], moved_on=day(30))
    [back] = torikeshi(idou_id=returned.idou.pk, reason="別人").records
    assert (back.rireki_no, back.idou_group, back.status) == (5, "shojo", Status.TENSHUTSU)
    assert (back.shojo_date, back.household_no, back.town) == (
        day(10),
        removed.household_no,
        removed.town,
    )
    assert person(first.atena_no).kind == PersonKind.JOGAI
    assert selectors.person_record(atena_no=first.atena_no).status == Status.TENSHUTSU


def test_cancelling_a_move_within_restores_the_old_address() -> None:
    head, *_ = move_in(family_of_three()).records
    moved = tenkyo(
        household_no=head.household_no, moved_on=day(50), notified_on=day(50), address=ELSEWHERE
    )
    cancel = torikeshi(idou_id=moved.idou.pk, reason="転居先の誤り")
    for record in cancel.records:
        assert (record.rireki_no, record.idou_group, record.idou_date) == (3, "shusei", day(50))
        assert (record.town, record.banchi, record.katagaki) == (HOME.town, HOME.banchi, "")
        assert (record.address_date, record.before_move_address) == (BASE, "")
    household = Household.objects.get(household_no=head.household_no)
    assert (household.town, household.banchi, household.katagaki) == (HOME.town, HOME.banchi, "")
    assert selectors.record_as_of(head.atena_no, day(60)).town == HOME.town


def test_cancelling_a_death_restores_the_resident() -> None:
    head, wife, son = move_in(family_of_three()).records
    died = shibou(atena_no=son.atena_no, died_on=day(30))
    [restored] = torikeshi(idou_id=died.idou.pk, reason="別人の死亡届").records
    assert (restored.status, restored.shojo_date, restored.shojo_reason) == (Status.JUMIN, None, "")
    assert (restored.rireki_no, restored.idou_group) == (3, "kisai")
    assert person(son.atena_no).kind == PersonKind.JUMIN
    assert person(son.atena_no).household.household_no == head.household_no
    assert [r.atena_no for r in selectors.household_as_of(head.household_no)] == [
        head.atena_no,
        wife.atena_no,
        son.atena_no,
    ]


def test_cancelling_other_changes() -> None:
    head, wife, son = move_in(family_of_three()).records
    split = setai_bunri(
        household_no=head.household_no, leaving={son.atena_no: "世帯主"}, changed_on=day(10)
    )
    [back] = torikeshi(idou_id=split.idou.pk, reason="誤り").records
    assert (back.household_no, back.zokugara) == (head.household_no, "子")
    assert person(son.atena_no).household.household_no == head.household_no
    planned = tenshutsu_yotei(
        atena_nos=[wife.atena_no], moved_on=day(30), notified_on=day(25), destination="大阪府"
    )
    [stays] = torikeshi(idou_id=planned.idou.pk, reason="転出取りやめ").records
    assert (stays.status, stays.tenshutsu_yotei_date, stays.destination_address) == (
        Status.JUMIN,
        None,
        "",
    )


def test_cancellation_refusals() -> None:
    outcome = move_in(family_of_three())
    head = outcome.records[0]
    moved = tenkyo(
        household_no=head.household_no, moved_on=day(50), notified_on=day(50), address=ELSEWHERE
    )
    refused(
        lambda: torikeshi(idou_id=outcome.idou.pk, reason="誤り"),
        match=LATER_CHANGES.format(atena_no=head.atena_no),
    )
    refused(lambda: torikeshi(idou_id=moved.idou.pk, reason=" "), match="取消理由は必須")
    refused(lambda: torikeshi(idou_id=10**9, reason="誤り"), match="ありません")
    cancel = torikeshi(idou_id=moved.idou.pk, reason="誤り")
    refused(lambda: torikeshi(idou_id=moved.idou.pk, reason="誤り"), match=ALREADY_CANCELLED)
    refused(lambda: torikeshi(idou_id=cancel.idou.pk, reason="誤り"), match="取消しの取消し")
    assert Idou.objects.filter(kind=IdouKind.TORIKESHI).count() == 1


def test_a_cancellation_cannot_break_the_household() -> None:
    head, wife, son = move_in(family_of_three()).records
    died = shibou(atena_no=head.atena_no, died_on=day(30))
    setainushi_henko(
        household_no=head.household_no,
        new_head=wife.atena_no,
        zokugara={son.atena_no: "子"},
        changed_on=day(31),
    )
    # Restoring the dead head would give the household two heads.
    refused(
        lambda: torikeshi(idou_id=died.idou.pk, reason="誤り"),
        match=HOUSEHOLD_CHANGED_SINCE.format(household_no=head.household_no).split("。")[0],
    )
    # The household moved after a member's death: restoring them at the old address is refused.
    died = shibou(atena_no=son.atena_no, died_on=day(40))
    tenkyo(household_no=head.household_no, moved_on=day(50), notified_on=day(50), address=ELSEWHERE)
    before = counts()
    refused(lambda: torikeshi(idou_id=died.idou.pk, reason="誤り"), match="世帯主変更・転居")
    assert counts() == before
    assert Household.objects.get(household_no=head.household_no).town == ELSEWHERE.town
