"""Household-level corrections (方書・郵便番号), strangers in a 世帯主変更, and 職権記載."""

from __future__ import annotations

from kyodo.atena.models import Household
from kyodo.platform.models import Tenant
from kyodo.units.juki.models import IdouKind
from kyodo.units.juki.services.shokken import HOUSEHOLD_ITEMS, jusho_shusei, shokken_shusei
from kyodo.units.juki.services.tenkyo_setai import setainushi_henko
from kyodo.units.juki.services.tenyu import TenyuRequest, tenyu
from tests.juki.helpers import (
    BASE,
    HOME,
    PREVIOUS,
    day,
    family_of_three,
    latest,
    member,
    move_in,
    refused,
)


def test_katagaki_is_corrected_for_the_whole_household(muni: Tenant) -> None:
    outcome = move_in(family_of_three())
    household_no = outcome.records[0].household_no
    corrected = jusho_shusei(
        household_no=household_no,
        corrected_on=day(10),
        katagaki="本町ハイツ203",
        reason="方書の誤記",
    )
    assert {r.atena_no for r in corrected.records} == {r.atena_no for r in outcome.records}
    for record in outcome.records:
        now = latest(record.atena_no)
        assert (now.katagaki, now.rireki_no, now.idou_kind) == (
            "本町ハイツ203",
            2,
            IdouKind.SHOKKEN_SHUSEI,
        )
        assert (now.town, now.banchi) == (HOME.town, HOME.banchi)
    assert Household.objects.get(household_no=household_no).katagaki == "本町ハイツ203"


def test_one_persons_katagaki_cannot_be_corrected_alone(muni: Tenant) -> None:
    head = move_in(family_of_three()).records[0]
    refused(
        lambda: shokken_shusei(
            atena_no=head.atena_no, changes={"katagaki": "x"}, corrected_on=day(5), reason="誤記"
        ),
        match=HOUSEHOLD_ITEMS,
        field="katagaki",
    )
    refused(
        lambda: jusho_shusei(household_no=head.household_no, corrected_on=day(5), reason="誤記"),
        match="修正する項目がありません",
    )


def test_a_change_of_head_refuses_relationships_of_strangers(muni: Tenant) -> None:
    head, wife, child = move_in(family_of_three()).records
    stranger = move_in([member("佐藤", "次郎", "サトウ", "ジロウ")]).records[0]
    refused(
        lambda: setainushi_henko(
            household_no=head.household_no,
            new_head=wife.atena_no,
            zokugara={head.atena_no: "夫", child.atena_no: "子", stranger.atena_no: "子"},
            changed_on=day(20),
        ),
        match="この世帯の世帯員ではありません",
        field=f"zokugara.{stranger.atena_no}",
    )


def test_ex_officio_entry_is_recorded_as_shokken_kisai(muni: Tenant) -> None:
    outcome = tenyu(
        TenyuRequest(
            moved_on=BASE,
            notified_on=day(30),
            address=HOME,
            previous_address=PREVIOUS,
            members=family_of_three()[:1],
            ex_officio=True,
        )
    )
    record = outcome.records[0]
    assert (outcome.idou.kind, record.idou_kind, record.idou_group) == (
        IdouKind.SHOKKEN_KISAI,
        IdouKind.SHOKKEN_KISAI,
        "kisai",
    )
    assert record.jumin_date == BASE
