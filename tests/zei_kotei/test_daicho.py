"""Receiving the 課税台帳: good files are stored with their owners from a date, a correction is
the next 履歴番号, and a bad file is reported row by row with nothing stored."""

from __future__ import annotations

import pytest

from kyodo.atena.models import Person, PersonKind
from kyodo.platform.models import AuditRecord
from kyodo.platform.tenancy.context import tenant_scope
from kyodo.units.zei_kotei.daicho import import_file, register_jutogai
from kyodo.units.zei_kotei.models import Bukken, KaokuDaicho, Shoyu, Shoyusha, TochiDaicho
from tests.zei_kotei.conftest import (
    JUTOGAI_HEADER,
    KAOKU_HEADER,
    SHOYU_HEADER,
    TOCHI_HEADER,
    YEAR,
    Town,
    write,
)

pytestmark = pytest.mark.django_db


def test_the_ledger_is_stored_with_its_owners(town: Town) -> None:
    town.imported()
    with tenant_scope(town.code):
        assert Bukken.objects.count() == 7
        shared = TochiDaicho.objects.get(bukken__bango="102")
        assert (shared.use, shared.valuation, shared.revision) == ("non_residential", 10**7, 1)
        [owners] = [
            list(s.owners.order_by("order")) for s in Shoyu.objects.filter(bukken=shared.bukken)
        ]
        assert [(o.atena_no, o.share_numerator, o.share_denominator, o.order) for o in owners] == [
            (town["太郎"], 1, 2, 1),
            (town["花子"], 1, 2, 2),
        ]
        house = KaokuDaicho.objects.get(bukken__bango="100")
        assert (house.built_year, house.stories, house.fire_resistant) == (2025, 2, False)
        audited = AuditRecord.objects.filter(object_type="zei_kotei.tochi").get()
        assert town["花子"] in audited.detail["owners"]


def test_a_second_file_for_the_year_is_a_correction_and_keeps_the_first(town: Town) -> None:
    town.imported()
    t = town["太郎"]
    fixed = write(
        town.tmp_path,
        "tochi-fix.csv",
        [TOCHI_HEADER, f"本町一丁目,100,宅地,住宅用地,200,1,12600000,2000000,{t},2010-04-01"],
    )
    with tenant_scope(town.code):
        before = Shoyu.objects.count()
        assert import_file(fixed, kind="tochi", fiscal_year=YEAR).imported == 1
        rows = TochiDaicho.objects.filter(bukken__bango="100").order_by("revision")
        assert [(r.revision, r.valuation) for r in rows] == [(1, 12_000_000), (2, 12_600_000)]
        assert Shoyu.objects.count() == before  # the same owners from the same date: no new set


def test_a_bad_land_file_is_reported_row_by_row_and_nothing_is_stored(town: Town) -> None:
    t, h = town["太郎"], town["花子"]
    bad = write(
        town.tmp_path,
        "bad.csv",
        [
            TOCHI_HEADER,
            f"本町一丁目,500,宅地,住宅用地,200,,1000000,100000,{t},2010-04-01",  # no 戸数
            f"本町一丁目,501,山林,山林,200,,1000000,100000,{t},2010-04-01",  # no such 区分
            f"本町一丁目,502,宅地,商業地等,-5,,1000000,100000,{t},2010-04-01",
            "本町一丁目,503,宅地,商業地等,100,,1000000,100000,99999999,2010-04-01",  # nobody
            f"本町一丁目,504,宅地,商業地等,100,,1000000,100000,{t}:1/2;{h}:1/3,2010-04-01",
            f"本町一丁目,505,宅地,商業地等,100,,1000000,100000,{t},2010-04-01",
            f"本町一丁目,505,宅地,商業地等,100,,1000000,100000,{t},2010-04-01",  # twice
            "本町一丁目,506,宅地,商業地等,100",  # truncated
            f"本町一丁目,507,宅地,商業地等,100,,1000000,100000,{t},2010-13-01",
            f"本町一丁目,508,宅地,商業地等,100,,12万,100000,{t},2010-04-01",
        ],
    )
    with tenant_scope(town.code):
        report = import_file(bad, kind="tochi", fiscal_year=YEAR)
        assert report.imported == 0
        assert not Bukken.objects.exists() and not TochiDaicho.objects.exists()
        assert not Shoyu.objects.exists() and not Shoyusha.objects.exists()
    found = {(p.line, p.field) for p in report.problems}
    assert found == {
        (2, "住宅戸数"),
        (3, "課税地目"),
        (4, "地積"),
        (5, "所有者"),
        (6, "所有者"),
        (8, "地番"),
        (9, ""),
        (10, "所有開始日"),
        (11, "評価額"),
    }
    assert all(p.file == str(bad) and p.reason for p in report.problems)
    by_line = {p.line: p.reason for p in report.problems}
    assert "200㎡" in by_line[2]  # the calculator's own reason: 住宅1戸につき200㎡まで
    assert "持分の合計" in by_line[6] and "7行目と同じ物件" in by_line[8]


def test_a_house_built_after_the_fuka_kijitsu_is_refused(town: Town) -> None:
    """地方税法 第359条: the 賦課期日 is 1 January — a house finished in 2026 is not on the
    令和8年度 ledger."""
    t = town["太郎"]
    bad = write(
        town.tmp_path,
        "kaoku-bad.csv",
        [
            KAOKU_HEADER,
            f"本町三丁目1番地,1,居宅,木造,0,2,120,2026,15000000,{t},2026-03-01",
            f"本町三丁目2番地,2,居宅,木造,2,0,120,2020,15000000,{t},2020-03-01",
        ],
    )
    with tenant_scope(town.code):
        report = import_file(bad, kind="kaoku", fiscal_year=YEAR)
        assert not KaokuDaicho.objects.exists()
    assert {(p.line, p.field) for p in report.problems} == {
        (2, "建築年"),
        (3, "耐火"),
        (3, "地上階数"),
    }


def test_layout_encoding_the_same_file_twice_and_transfers(town: Town) -> None:
    land = town.land()
    sjis = write(town.tmp_path, "sjis.csv", land.read_text(encoding="utf-8").splitlines(), "cp932")
    missing = write(town.tmp_path, "missing.csv", ["所在,地番,謎の項目", "a,1,x"])
    unknown = write(
        town.tmp_path,
        "shoyu.csv",
        [SHOYU_HEADER, f"土地,本町九丁目,9,{town['太郎']},2020-01-01"],
    )
    with tenant_scope(town.code):
        [problem] = import_file(sjis, kind="tochi", fiscal_year=YEAR).problems
        assert "utf-8" in problem.reason and problem.line == 1
        assert import_file(sjis, kind="tochi", fiscal_year=YEAR, encoding="cp932").imported == 5
        again = import_file(sjis, kind="tochi", fiscal_year=YEAR, encoding="cp932")
        assert again.problems[0].reason.startswith("このファイルは受付済み")
        header = {p.field for p in import_file(missing, kind="tochi", fiscal_year=YEAR).problems}
        assert {"謎の項目", "課税地目", "地積", "評価額", "所有者", "所有開始日"} <= header
        [problem] = import_file(unknown, kind="shoyu", fiscal_year=None).problems
        assert (problem.line, problem.field) == (2, "地番・家屋番号")
        assert "課税台帳にない物件" in problem.reason
        assert TochiDaicho.objects.count() == 5


def test_jutogai_owners_are_registered_in_atena_or_not_at_all(town: Town) -> None:
    good_and_bad = write(
        town.tmp_path,
        "jutogai2.csv",
        [
            JUTOGAI_HEADER,
            "小林,花,コバヤシ,ハナ,1975-05-05,2,大阪府大阪市北区1-1",
            "木村,守,キムラ,マモル,1960-01-01,3,大阪府大阪市北区1-2",  # no such 性別
            "田中,一郎,タナカ,イチロウ,1970-02-03,1,東京都千代田区丸の内1-1",  # already there
        ],
    )
    with tenant_scope(town.code):
        report = register_jutogai(good_and_bad)
        assert {(p.line, p.field) for p in report.problems} == {(3, "性別"), (4, "氏")}
        assert "同じ氏名・生年月日" in report.problems[-1].reason
        assert not Person.objects.filter(family_name="小林").exists()  # all or nothing
        tanaka = Person.objects.get(atena_no=town["一郎"])
        assert tanaka.kind == PersonKind.JUTOGAI and tanaka.household is None
        assert tanaka.outside_address == "東京都千代田区丸の内1-1"
