"""総合窓口 PUSH list (issue 4): ages, every procedure at its boundaries, events, overrides, CLI.

Pure tests: no database. Sources of the boundaries:

* 年齢計算ニ関スル法律 + 民法 第143条: an age is reached on the day before the birthday; a
  29 February birth reaches it on 28 February (kyodo/madoguchi/ages.py).
* 介護保険法 第9条・第10条 (65, day before the birthday), rules.md §6.
* 高齢者の医療の確保に関する法律 第50条・第52条: 後期高齢者医療 from the 75th birthday itself,
  rules.md §7 ("from the 75th birthday (the day itself)").
* 国民年金法 第7条・第8条・第9条 (20 and 60, day before the birthday), rules.md §8.
* 児童手当法 第3条: "18歳に達する日以後の最初の3月31日", rules.md §5.
* 学校教育法 第17条, 施行令 第2条 (10月1日基準の学齢簿), rules.md §9.
* 公職選挙法 第9条・第21条 (18, 3 months' residence), rules.md §9; 印鑑条例 15歳, rules.md §11.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kyodo.madoguchi.ages import (
    age_on,
    birthday,
    first_april_1_after,
    first_march_31_after,
    reaches_age_on,
)
from kyodo.madoguchi.push import Member, Suggestion, parse_request, push_list
from kyodo.platform.errors import ValidationFailed

CODE = "162116"
D = dt.date


def run(
    *members: Member,
    date: dt.date,
    event: str = "moved_in",
    single_parent: bool = False,
    overrides: dict[str, Any] | None = None,
) -> list[Suggestion]:
    return push_list(
        event=event,
        date=date,
        members=list(members),
        single_parent=single_parent,
        municipality=CODE,
        overrides={} if overrides is None else overrides,
    )


def person(birth: dt.date, nationality: str = "JP", **flags: bool) -> Member:
    subject = flags.pop("subject", None)
    return Member(birth, nationality, "", flags, subject)


def ids(birth: dt.date, date: dt.date, event: str = "moved_in", **flags: Any) -> set[str]:
    """The procedures suggested for a one-person household."""
    return {s.procedure for s in run(person(birth, **flags), date=date, event=event)}


# ------------------------------------------------------------------------------------------
# ages.py


def test_reaches_age_the_day_before_the_birthday() -> None:
    """年齢計算ニ関スル法律 + 民法143条: 65 is reached on the day before the 65th birthday."""
    assert reaches_age_on(D(1956, 5, 1), 65) == D(2021, 4, 30)
    assert birthday(D(1956, 5, 1), 65) == D(2021, 5, 1)
    # 1 January births reach their age on 31 December of the previous year.
    assert reaches_age_on(D(2000, 1, 1), 20) == D(2019, 12, 31)


def test_29_february_births() -> None:
    """民法143条2項ただし書: no 応当日 in a common year → the month's last day (28 Feb).
    In a leap year the day before 29 Feb is 28 Feb as well. The birthday itself in a common
    year is taken as 1 March."""
    birth = D(2004, 2, 29)
    assert reaches_age_on(birth, 20) == D(2024, 2, 28)  # leap year
    assert reaches_age_on(birth, 21) == D(2025, 2, 28)  # common year
    assert birthday(birth, 20) == D(2024, 2, 29)
    assert birthday(birth, 21) == D(2025, 3, 1)
    assert age_on(birth, D(2025, 2, 27)) == 20
    assert age_on(birth, D(2025, 2, 28)) == 21


@pytest.mark.parametrize(
    ("day", "age"),
    [(D(2021, 4, 29), 64), (D(2021, 4, 30), 65), (D(2021, 5, 1), 65), (D(1956, 5, 1), 0)],
)
def test_age_on_increases_on_the_day_before_the_birthday(day: dt.date, age: int) -> None:
    assert age_on(D(1956, 5, 1), day) == age


def test_age_on_1_january_birth() -> None:
    assert age_on(D(2000, 1, 1), D(2019, 12, 30)) == 19
    assert age_on(D(2000, 1, 1), D(2019, 12, 31)) == 20
    assert age_on(D(2000, 1, 1), D(2020, 1, 1)) == 20


def test_first_march_31_and_april_1_on_or_after() -> None:
    """児童手当法 第3条 "以後": the reaching day itself counts."""
    assert first_march_31_after(D(2026, 3, 31)) == D(2026, 3, 31)
    assert first_march_31_after(D(2026, 4, 1)) == D(2027, 3, 31)
    assert first_march_31_after(D(2026, 1, 1)) == D(2026, 3, 31)
    assert first_april_1_after(D(2026, 4, 1)) == D(2026, 4, 1)
    assert first_april_1_after(D(2026, 4, 2)) == D(2027, 4, 1)


# ------------------------------------------------------------------------------------------
# Each procedure at its boundaries (day before / on / after)


@pytest.mark.parametrize(
    ("date", "expected"),
    [(D(2026, 11, 14), False), (D(2026, 11, 15), True), (D(2026, 11, 16), True)],
)
def test_kaigo_from_the_day_before_the_65th_birthday(date: dt.date, expected: bool) -> None:
    """介護保険法 第10条: "65歳に達したとき" = 2026-11-15 for a 1961-11-16 birth."""
    assert ("kaigo.enroll" in ids(D(1961, 11, 16), date)) is expected


@pytest.mark.parametrize(
    ("date", "koki"),
    [(D(2026, 11, 15), False), (D(2026, 11, 16), True), (D(2026, 11, 17), True)],
)
def test_koki_from_the_75th_birthday_itself_and_kokuho_until_then(
    date: dt.date, koki: bool
) -> None:
    """rules.md §7: 後期 from the 75th birthday (the day itself); 国保法 第6条: then not 国保."""
    got = ids(D(1951, 11, 16), date)
    assert ("koki.enroll" in got) is koki
    assert ("kokuho.enroll" in got) is not koki


def test_koki_29_february_birth() -> None:
    """75 is odd, so the 75th birthday of a 29 February birth always falls in a common year:
    taken as 1 March (and 国保 continues until then)."""
    assert "koki.enroll" not in ids(D(1952, 2, 29), D(2027, 2, 28))
    assert "kokuho.enroll" in ids(D(1952, 2, 29), D(2027, 2, 28))
    assert "koki.enroll" in ids(D(1952, 2, 29), D(2027, 3, 1))
    assert "kokuho.enroll" not in ids(D(1952, 2, 29), D(2027, 3, 1))


def test_kaigo_29_february_birth() -> None:
    """Reached on 28 February (民法143条2項ただし書)."""
    assert "kaigo.enroll" not in ids(D(1960, 2, 29), D(2025, 2, 27))
    assert "kaigo.enroll" in ids(D(1960, 2, 29), D(2025, 2, 28))


@pytest.mark.parametrize(
    ("birth", "date", "expected"),
    [
        (D(2006, 11, 16), D(2026, 11, 14), False),  # 20 not yet reached
        (D(2006, 11, 16), D(2026, 11, 15), True),  # 20 reached (day before birthday)
        (D(2006, 11, 16), D(2026, 11, 16), True),
        (D(1966, 11, 16), D(2026, 11, 14), True),  # 59
        (D(1966, 11, 16), D(2026, 11, 15), False),  # 60 reached
        (D(1966, 11, 16), D(2026, 11, 16), False),
    ],
)
def test_nenkin_from_20_to_before_60(birth: dt.date, date: dt.date, expected: bool) -> None:
    """国民年金法 第7条第1項第1号・第8条・第9条."""
    assert ("nenkin.kanyu" in ids(birth, date)) is expected


def test_nenkin_excludes_employee_pension_and_dependent_spouse_not_foreigners() -> None:
    """第2号 and 第3号 are not 第1号; nationality does not matter (国民年金法 第7条)."""
    date, birth = D(2026, 11, 15), D(1990, 1, 1)
    assert "nenkin.kanyu" not in ids(birth, date, employee_pension=True)
    assert "nenkin.kanyu" not in ids(birth, date, employee_dependent_spouse=True)
    assert "nenkin.kanyu" in {s.procedure for s in run(person(birth, "VN"), date=date)}


@pytest.mark.parametrize(
    ("birth", "date", "expected"),
    [
        (D(2008, 4, 2), D(2027, 3, 31), True),  # reaches 18 on 2026-04-01 → ends 2027-03-31
        (D(2008, 4, 2), D(2027, 4, 1), False),
        (D(2008, 4, 1), D(2026, 3, 31), True),  # reaches 18 on 2026-03-31: that same day ends
        (D(2008, 4, 1), D(2026, 4, 1), False),
        (D(2008, 2, 29), D(2026, 3, 31), True),  # reaches 18 on 2026-02-28
        (D(2008, 2, 29), D(2026, 4, 1), False),
    ],
)
def test_jidou_teate_to_the_first_31_march_after_18(
    birth: dt.date, date: dt.date, expected: bool
) -> None:
    """児童手当法 第3条第1項, rules.md §5 (高校生年代)."""
    assert ("jidou_teate.apply" in ids(birth, date)) is expected


@pytest.mark.parametrize(("date", "expected"), [(D(2027, 3, 31), True), (D(2027, 4, 1), False)])
def test_iryo_kodomo_default_to_the_end_of_chugakusei(date: dt.date, expected: bool) -> None:
    """Default parameter iryo_kodomo_until = chugakusei: 15 reached 2026-04-01 → 2027-03-31."""
    assert ("iryo.kodomo" in ids(D(2011, 4, 2), date)) is expected


def test_iryo_kodomo_municipal_parameter() -> None:
    """A municipality extends 子ども医療 to the 高校生年代 through data alone."""
    overrides = {CODE: {"params": {"iryo_kodomo_until": "kokosei_nendai"}}}
    got = run(person(D(2011, 4, 2)), date=D(2027, 4, 1), overrides=overrides)
    kodomo = [s for s in got if s.procedure == "iryo.kodomo"]
    assert len(kodomo) == 1
    assert "18歳到達後最初の3月31日＝2030年3月31日" in kodomo[0].reason


def test_iryo_hitorioya_household_level() -> None:
    parent, child = person(D(1990, 1, 1)), person(D(2015, 6, 1))
    date = D(2026, 11, 15)
    got = [s for s in run(parent, child, date=date, single_parent=True)]
    hitorioya = [s for s in got if s.procedure == "iryo.hitorioya"]
    assert len(hitorioya) == 1
    assert hitorioya[0].member is None
    assert "ひとり親世帯" in hitorioya[0].reason
    assert "世帯員2（2015年6月1日生）" in hitorioya[0].reason
    assert all(s.procedure != "iryo.hitorioya" for s in run(parent, child, date=date))
    # A single parent whose child has passed the 高校生年代 (18 reached 2026-05-31).
    grown = person(D(2008, 6, 1))
    assert all(
        s.procedure != "iryo.hitorioya"
        for s in run(parent, grown, date=D(2027, 4, 1), single_parent=True)
    )


@pytest.mark.parametrize(
    ("birth", "date", "expected", "text"),
    [
        (D(2020, 4, 1), D(2025, 9, 30), False, "学齢外"),  # before the 1 October base date
        (D(2020, 4, 1), D(2025, 10, 1), True, "就学予定者（2026年4月1日入学"),
        (D(2020, 4, 1), D(2026, 3, 31), True, "就学予定者"),  # reaches 6 this very day
        (D(2020, 4, 1), D(2026, 4, 1), True, "学齢（2026年4月1日〜2035年3月31日）"),
        (D(2020, 4, 2), D(2026, 4, 1), False, "学齢外"),  # next cohort, before 1 October
        (D(2020, 4, 2), D(2026, 10, 1), True, "就学予定者（2027年4月1日入学"),
        (D(2011, 4, 2), D(2027, 3, 31), True, "学齢"),  # 15 reached 2026-04-01
        (D(2011, 4, 2), D(2027, 4, 1), False, "学齢外"),
    ],
)
def test_shugaku_school_age(birth: dt.date, date: dt.date, expected: bool, text: str) -> None:
    """学校教育法 第17条: from the first 1 April after the day after reaching 6, to the end of
    the school year in which 15 is reached; 施行令 第2条: 学齢簿 as of 1 October (rules.md §9)."""
    got = run(person(birth), date=date)
    shugaku = [s for s in got if s.procedure == "shugaku.gakureibo"]
    assert bool(shugaku) is expected
    if shugaku:
        assert text in shugaku[0].reason


@pytest.mark.parametrize(("date", "expected"), [(D(2026, 11, 14), False), (D(2026, 11, 15), True)])
def test_inkan_from_15(date: dt.date, expected: bool) -> None:
    """印鑑条例: 15歳未満 cannot register (rules.md §11); 15 reached on 2026-11-15."""
    assert ("inkan.touroku" in ids(D(2011, 11, 16), date)) is expected


@pytest.mark.parametrize(("date", "expected"), [(D(2026, 11, 14), False), (D(2026, 11, 15), True)])
def test_senkyo_from_18_japanese_only(date: dt.date, expected: bool) -> None:
    """公職選挙法 第9条・第21条; rules.md §9: qualifies on the day before the 18th birthday."""
    got = run(person(D(2008, 11, 16)), date=date)
    senkyo = [s for s in got if s.procedure == "senkyo.touroku"]
    assert bool(senkyo) is expected
    if senkyo:
        assert senkyo[0].kind == "information"
        assert "3か月" in senkyo[0].reason
        assert "【参考】" in senkyo[0].reason
    foreign = run(person(D(1990, 1, 1), "US"), date=date)
    assert all(s.procedure != "senkyo.touroku" for s in foreign)


def test_kokuho_enroll_only_without_employee_insurance() -> None:
    assert "kokuho.enroll" in ids(D(1990, 1, 1), D(2026, 11, 15))
    assert "kokuho.enroll" not in ids(D(1990, 1, 1), D(2026, 11, 15), employee_insurance=True)


# ------------------------------------------------------------------------------------------
# Events and subjects


def test_event_filter_moved_out() -> None:
    """転出: only 国保 資格喪失 (国保法 第8条), for the members who were in 国保."""
    members = [
        person(D(1961, 11, 16)),
        person(D(1990, 1, 1), employee_insurance=True),
        person(D(1950, 1, 1)),  # 後期
    ]
    got = run(*members, date=D(2026, 11, 15), event="moved_out")
    assert [(s.procedure, s.member) for s in got] == [("kokuho.withdraw", 0)]
    assert got[0].reason.startswith("【転出】世帯員1（1961年11月16日生）は2026年11月15日時点で")


def test_event_filter_on_demand_has_no_withdrawal() -> None:
    got = run(person(D(1990, 1, 1)), date=D(2026, 11, 15), event="on_demand")
    assert "kokuho.withdraw" not in {s.procedure for s in got}
    assert "kokuho.enroll" in {s.procedure for s in got}


def test_born_evaluates_the_newborn_only() -> None:
    date = D(2026, 11, 15)
    parent = person(D(1990, 1, 1))
    baby = person(date)
    got = run(parent, baby, date=date, event="born")
    assert {(s.procedure, s.member) for s in got} == {
        ("kokuho.enroll", 1),
        ("jidou_teate.apply", 1),
        ("iryo.kodomo", 1),
    }
    with pytest.raises(ValidationFailed, match="出生"):
        run(parent, date=date, event="born")


def test_died_needs_the_deceased_marked() -> None:
    date = D(2026, 11, 15)
    members = [person(D(1960, 1, 1), subject=True), person(D(1962, 1, 1))]
    got = run(*members, date=date, event="died")
    assert [(s.procedure, s.member) for s in got] == [("kokuho.withdraw", 0)]
    assert got[0].reason.startswith("【死亡】")
    with pytest.raises(ValidationFailed, match="subject"):
        run(person(D(1960, 1, 1)), date=date, event="died")


def test_reason_names_rule_member_and_law() -> None:
    head = Member(D(1956, 5, 1), "JP", "世帯主", {}, None)
    (kaigo,) = [s for s in run(head, date=D(2026, 11, 15)) if s.procedure == "kaigo.enroll"]
    assert kaigo.member == 0
    assert kaigo.reason.startswith(
        "【転入】世帯員1（世帯主・1956年5月1日生）は2026年11月15日時点で65歳に到達済み"
        "（到達日 2021年4月30日）：介護保険 第1号被保険者"
    )
    assert "介護保険法 第9条第1号" in kaigo.reason
    assert "rules.md §6" in kaigo.reason


# ------------------------------------------------------------------------------------------
# Municipal overrides: data only


def test_override_disables_and_adds_without_code_change() -> None:
    overrides = {
        CODE: {
            "disabled": ["iryo.hitorioya", "inkan.touroku"],
            "extra": [
                {
                    "id": "city.keirou",
                    "name": "敬老祝金の案内",
                    "kind": "information",
                    "scope": "member",
                    "events": ["moved_in"],
                    "condition": {
                        "all": [
                            {"age_at_least": {"years": 88, "rule": "birthday"}},
                            {"any": [{"nationality": ["JP"]}, {"household": "single_parent"}]},
                        ]
                    },
                    "basis": "射水市敬老祝金条例（例）",
                }
            ],
        }
    }
    old, child = person(D(1938, 11, 15)), person(D(2015, 1, 1))
    got = run(old, child, date=D(2026, 11, 15), single_parent=True, overrides=overrides)
    procs = {(s.procedure, s.member) for s in got}
    assert ("city.keirou", 0) in procs
    assert not {p for p, _ in procs} & {"iryo.hitorioya", "inkan.touroku"}
    (keirou,) = [s for s in got if s.procedure == "city.keirou"]
    assert "88歳の誕生日（2026年11月15日）以後" in keirou.reason
    assert "【参考】" in keirou.reason
    # Another municipality is not affected.
    other = push_list(
        event="moved_in",
        date=D(2026, 11, 15),
        members=[old, child],
        single_parent=True,
        municipality="131016",
        overrides=overrides,
    )
    assert "iryo.hitorioya" in {s.procedure for s in other}
    assert "city.keirou" not in {s.procedure for s in other}


def test_override_replaces_a_catalogue_procedure() -> None:
    """An extra with an existing id replaces it (here: 印鑑 from 18 instead of 15)."""
    replaced = {
        "id": "inkan.touroku",
        "name": "印鑑登録",
        "kind": "information",
        "events": ["moved_in"],
        "condition": {"age_at_least": {"years": 18, "rule": "reaches"}},
        "basis": "条例",
    }
    got = run(person(D(2010, 1, 1)), date=D(2026, 11, 15), overrides={CODE: {"extra": [replaced]}})
    assert "inkan.touroku" not in {s.procedure for s in got}


@pytest.mark.parametrize(
    ("entry", "field"),
    [
        ({"disabled": ["no.such"]}, "162116.disabled[0]"),
        ({"params": {"iryo_kodomo_until": "forever"}}, "162116.params.iryo_kodomo_until"),
        (
            {
                "extra": [
                    {
                        "id": "x",
                        "name": "x",
                        "events": ["moved_in"],
                        "basis": "b",
                        "condition": {"all": [{"age_over": 3}]},
                    }
                ]
            },
            "162116.extra[0].condition.all[0]",
        ),
        (
            {
                "extra": [
                    {
                        "id": "x",
                        "name": "x",
                        "events": ["moved_in"],
                        "basis": "b",
                        "scope": "household",
                        "condition": {"member": "employee_insurance"},
                    }
                ]
            },
            "162116.extra[0].condition.member",
        ),
        (
            {
                "extra": [
                    {
                        "id": "x",
                        "name": "x",
                        "events": ["teleported"],
                        "basis": "b",
                        "condition": {"school_age": True},
                    }
                ]
            },
            "162116.extra[0].events",
        ),
    ],
)
def test_bad_override_names_the_path(entry: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationFailed) as info:
        run(person(D(1990, 1, 1)), date=D(2026, 11, 15), overrides={CODE: entry})
    assert info.value.field == field


def test_push_list_rejects_bad_arguments() -> None:
    with pytest.raises(ValidationFailed, match="異動の種類"):
        run(person(D(1990, 1, 1)), date=D(2026, 11, 15), event="arrived")
    with pytest.raises(ValidationFailed) as info:
        run(person(D(1990, 1, 1)), person(D(2027, 1, 1)), date=D(2026, 11, 15))
    assert info.value.field == "members[1].birth_date"
    with pytest.raises(ValidationFailed, match="検査数字"):
        push_list(
            event="moved_in",
            date=D(2026, 11, 15),
            members=[person(D(1990, 1, 1))],
            single_parent=False,
            municipality="162110",
        )


def test_default_overrides_file_is_read() -> None:
    got = push_list(
        event="moved_in",
        date=D(2026, 11, 15),
        members=[person(D(1990, 1, 1))],
        single_parent=False,
        municipality=CODE,
    )
    assert {"kokuho.enroll", "nenkin.kanyu"} <= {s.procedure for s in got}


# ------------------------------------------------------------------------------------------
# Request parsing and the CLI

REQUEST: dict[str, Any] = {
    "event": "moved_in",
    "date": "2026-11-15",
    "municipality": CODE,
    "single_parent": False,
    "members": [
        {
            "birth_date": "1956-05-01",
            "relationship": "世帯主",
            "nationality": "JP",
            "employee_insurance": False,
            "employee_pension": False,
        },
        {"birth_date": "2015-06-01", "relationship": "子", "nationality": "JP"},
    ],
}


def _write(tmp_path: Path, data: Any, name: str = "req.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


def test_cli_prints_a_json_array(tmp_path: Path) -> None:
    out = StringIO()
    call_command("push", "--json", _write(tmp_path, REQUEST), stdout=out)
    result = json.loads(out.getvalue())
    assert isinstance(result, list)
    assert all(set(item) == {"procedure", "member", "reason"} for item in result)
    pairs = {(item["procedure"], item["member"]) for item in result}
    assert {("kaigo.enroll", 0), ("jidou_teate.apply", 1), ("shugaku.gakureibo", 1)} <= pairs
    assert ("nenkin.kanyu", 0) not in pairs  # 70 years old


def test_cli_overrides_file(tmp_path: Path) -> None:
    overrides = _write(
        tmp_path, {"municipalities": {CODE: {"disabled": ["kaigo.enroll"]}}}, "ov.json"
    )
    out = StringIO()
    call_command("push", "--json", _write(tmp_path, REQUEST), "--overrides", overrides, stdout=out)
    assert "kaigo.enroll" not in {item["procedure"] for item in json.loads(out.getvalue())}


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            {"members": [REQUEST["members"][0], {"birth_date": "2015-13-01", "nationality": "JP"}]},
            "field 'members[1].birth_date': 日付は YYYY-MM-DD です",
        ),
        (
            {"members": [{"birth_date": "2015-01-01", "nationality": "Japan"}]},
            "field 'members[0].nationality'",
        ),
        (
            {
                "members": [
                    {"birth_date": "2015-01-01", "nationality": "JP", "employee_insurence": 1}
                ]
            },
            "field 'members[0].employee_insurence': 未知の項目",
        ),
        ({"event": "arrived"}, "field 'event'"),
        ({"municipality": "162110"}, "field 'municipality': 検査数字"),
        ({"single_parent": "no"}, "field 'single_parent'"),
        ({"event": "died"}, "field 'members': 死亡した世帯員"),
    ],
)
def test_cli_bad_input(tmp_path: Path, change: dict[str, Any], expected: str) -> None:
    path = _write(tmp_path, {**REQUEST, **change})
    with pytest.raises(CommandError) as info:
        call_command("push", "--json", path, stdout=StringIO())
    assert str(info.value).startswith(path)
    assert expected in str(info.value)


def test_cli_unreadable_file(tmp_path: Path) -> None:
    missing = str(tmp_path / "nope.json")
    with pytest.raises(CommandError, match="ファイルがありません"):
        call_command("push", "--json", missing)
    broken = tmp_path / "broken.json"
    broken.write_text('{"event":\n', encoding="utf-8")
    with pytest.raises(CommandError, match="line 2"):
        call_command("push", "--json", str(broken))


def test_parse_request_round_trip() -> None:
    request = parse_request(REQUEST, source="req.json")
    assert request["members"][0] == Member(
        D(1956, 5, 1), "JP", "世帯主", {"employee_insurance": False, "employee_pension": False}
    )
    assert request["date"] == D(2026, 11, 15)


def test_timing_five_member_household() -> None:
    """Not an assertion: prints the cost of one push_list for 5 members (target < 5 ms)."""
    members = [
        person(D(1956, 5, 1)),
        person(D(1951, 11, 16)),
        person(D(1988, 7, 7), employee_insurance=True, employee_pension=True),
        person(D(2010, 4, 1)),
        person(D(2020, 12, 1), "VN"),
    ]
    kwargs = {
        "event": "moved_in",
        "date": D(2026, 11, 15),
        "members": members,
        "single_parent": True,
        "municipality": CODE,
    }
    push_list(**kwargs)  # warm the catalogue cache
    n = 200
    start = time.perf_counter()
    for _ in range(n):
        push_list(**kwargs)
    per_call = (time.perf_counter() - start) / n * 1000
    print(f"\npush_list, 5 members: {per_call:.3f} ms per call")
