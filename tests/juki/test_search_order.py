"""候補者検索: names from their start first, in kana order; then partial matches (名 alone,
past names) fill the rest, up to the limit."""

from __future__ import annotations

import datetime as dt

from kyodo.atena.search import Query
from kyodo.atena.selectors import person_find
from kyodo.platform.models import Tenant
from tests.juki.helpers import member, move_in


def test_prefix_matches_come_first_in_kana_order_then_partial_ones(muni: Tenant) -> None:
    for i, (family, given, fk, gk) in enumerate(
        [
            ("山田", "太郎", "ヤマダ", "タロウ"),
            ("田部", "一", "タベ", "ハジメ"),
            ("田中", "花", "タナカ", "ハナ"),
            ("高田", "太", "タカダ", "フトシ"),
        ]
    ):
        move_in([member(family, given, fk, gk, birth=dt.date(1970 + i, 1, 1))])
    found = person_find(query=Query(text="タ"))
    # From the start: タカダ, タナカ, タベ (in kana order); then ヤマダ タロウ by its 名.
    assert [p.family_kana for p in found] == ["タカダ", "タナカ", "タベ", "ヤマダ"]
    assert [p.family_kana for p in person_find(query=Query(text="タ"), limit=2)] == [
        "タカダ",
        "タナカ",
    ]
    assert [p.family_kana for p in person_find(query=Query(text="タロウ"))] == ["ヤマダ"]


def test_a_query_matching_nothing_finds_nothing(muni: Tenant) -> None:
    move_in([member()])
    assert person_find(query=Query(text="ン")) == []


def test_given_names_and_past_names_are_found_from_their_start(muni: Tenant) -> None:
    move_in([member("山田", "太郎", "ヤマダ", "タロウ")])
    assert [p.given_name for p in person_find(query=Query(text="たろう"))] == ["太郎"]
    assert [p.given_name for p in person_find(query=Query(text="太郎"))] == ["太郎"]


def test_partial_matches_inside_a_name_only_when_asked(muni: Tenant) -> None:
    move_in([member("山田", "太郎", "ヤマダ", "タロウ")])
    assert person_find(query=Query(text="マダ")) == []
    assert [p.family_name for p in person_find(query=Query(text="マダ", partial=True))] == ["山田"]
