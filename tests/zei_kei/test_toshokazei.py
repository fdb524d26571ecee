"""軽自動車税 種別割: vehicles received from a file, the 当初課税 on the 4月1日 賦課期日 with
重課 from the calculator, owners who moved out or died (from the hub), resuming, the event,
the notices and the command line."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.management import call_command

from kyodo.atena.models import Person
from kyodo.linkage.dispatch import dispatch_once
from kyodo.linkage.models import OutboxEvent
from kyodo.platform.errors import ValidationFailed
from kyodo.platform.models import AuditRecord, Tenant
from kyodo.platform.parameters import parameter_set
from kyodo.platform.tenancy.context import tenant_scope
from kyodo.units.juki.services.common import Address
from kyodo.units.juki.services.shussei_shibou import shibou
from kyodo.units.juki.services.tenshutsu import tenshutsu_yotei
from kyodo.units.zei_kei.models import Kazei, Sharyo
from kyodo.units.zei_kei.notice_batch import print_notices
from kyodo.units.zei_kei.sharyo import import_file
from kyodo.units.zei_kei.toshokazei import toshokazei
from tests.juki.helpers import member, move_in
from tests.pdf import pdftotext, squash

pytestmark = pytest.mark.django_db
YEAR = 2026
HEADER = "標識番号,異動区分,異動日,車種,用途,初度検査年月,燃料,所有者"


@dataclass
class Town:
    tenant: Tenant
    people: dict[str, int]
    tmp_path: Path

    @property
    def code(self) -> str:
        return self.tenant.code

    def __getitem__(self, given: str) -> int:
        return self.people[given]

    def vehicles(self) -> Path:
        t, h, u, j = self["太郎"], self["花子"], self["ウメ"], self["次郎"]
        return write(
            self.tmp_path,
            "sharyo.csv",
            [
                HEADER,
                f"射水市あ1,登録,2020-05-10,軽四輪乗用,自家用,2012-10,ガソリン,{t}",  # 重課
                f"射水市あ2,登録,2016-04-01,軽四輪貨物,自家用,2016-03,,{j}",
                f"射水市あ3,登録,2019-06-01,原付一種,,,,{u}",
                f"射水市あ4,登録,2014-01-01,軽四輪乗用,自家用,2013-12,ガソリン,{t}",
                "射水市あ4,廃車,2026-03-31,,,,,",  # gone before 4月1日
                f"射水市あ5,登録,2026-04-02,軽四輪乗用,自家用,2026-04,ガソリン,{j}",  # too late
                f"射水市あ6,登録,2026-04-01,軽二輪,,,,{h}",  # on the 賦課期日: taxed
                f"射水市あ7,登録,2018-01-01,軽四輪乗用,自家用,2013-02,電気,{h}",  # no 重課
                f"射水市あ8,登録,2020-01-01,原付二種甲,,,,{t}",
                "射水市あ8,廃車,2026-04-01,,,,,",  # 廃車 on 4月1日: not taxed
                f"射水市あ9,登録,2019-01-01,原付二種甲,,,,{t}",
                f"射水市あ9,登録,2026-04-10,原付二種甲,,,,{j}",  # sold after 4月1日
            ],
        )


def write(tmp_path: Path, name: str, lines: list[str]) -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


@pytest.fixture
def town(make_tenant: Callable[..., Tenant], tmp_path: Path) -> Town:
    t = make_tenant()
    lived_here = dt.date(2025, 6, 1)
    with tenant_scope(t.code):
        move_in(
            moved_on=lived_here,
            members=[
                member("山田", "太郎", birth=dt.date(1980, 4, 1)),
                member(
                    "山田",
                    "花子",
                    "ヤマダ",
                    "ハナコ",
                    birth=dt.date(1983, 2, 10),
                    sex=2,
                    relationship="妻",
                ),
            ],
        )
        move_in(
            [member("佐藤", "ウメ", "サトウ", "ウメ", birth=dt.date(1950, 6, 1), sex=2)],
            moved_on=lived_here,
            address=Address(town="新町", banchi="1", postal_code="930-0001"),
        )
        move_in([member("鈴木", "次郎", "スズキ", "ジロウ", birth=dt.date(1990, 1, 20))],
                moved_on=lived_here)  # fmt: skip
        people = {
            g: Person.objects.get(given_name=g).atena_no for g in ("太郎", "花子", "ウメ", "次郎")
        }
    return Town(t, people, tmp_path)


def _taxed(code: str) -> dict[str, Kazei]:
    with tenant_scope(code):
        return {r.hyoshiki_no: r for r in Kazei.objects.all()}


def test_the_owner_on_1_april_pays_the_whole_year(town: Town) -> None:
    """The 賦課期日 is 1 April (地方税法 種別割の賦課期日; rules.md §4): the owner that day pays
    the whole year, no pro-rating. 廃車 on or before 1 April, or 登録 after it, means no tax
    for the 年度 (山武市 FAQ: 4月1日までに廃車 → 課税されない; 4月2日以降の登録 → 課税されない)."""
    with tenant_scope(town.code):
        assert import_file(town.vehicles()).imported == 12
        progress = []
        run = toshokazei(YEAR, chunk=4, progress=progress.append)
    assert run.total == run.done == 6 and [p.done for p in progress] == [4, 6]
    rows = _taxed(town.code)
    assert set(rows) == {
        "射水市あ1",
        "射水市あ2",
        "射水市あ3",
        "射水市あ6",
        "射水市あ7",
        "射水市あ9",
    }
    assert rows["射水市あ9"].atena_no == town["太郎"]  # sold on 10 April: still 太郎's year
    assert rows["射水市あ6"].total == 3_600  # 軽二輪, registered on 1 April
    assert rows["射水市あ3"].total == 2_000  # 原付一種
    assert rows["射水市あ2"].total == 5_000 and rows["射水市あ2"].rate_kind == "new"
    # One 納期 in May (tenant parameter; 31 May 2026 is a Sunday → 1 June).
    assert rows["射水市あ1"].installments == [
        {"number": 1, "due": "2026-06-01", "amount": 12_900, "kind": "futsu"}
    ]


def test_jukazei_and_its_exemption_come_from_the_calculator(town: Town) -> None:
    """地方税法 第463条の15第2項: a 四輪 first inspected in March 2013 or earlier pays the 重課
    rate in 令和8年度 (自家用乗用 12,900), unless it runs on a fuel the law exempts — an electric
    car first inspected in February 2013 pays the 旧税率 (7,200)."""
    with tenant_scope(town.code):
        import_file(town.vehicles())
        toshokazei(YEAR)
    rows = _taxed(town.code)
    assert (rows["射水市あ1"].rate_kind, rows["射水市あ1"].total) == ("heavy", 12_900)
    assert (rows["射水市あ7"].rate_kind, rows["射水市あ7"].total) == ("old", 7_200)
    assert rows["射水市あ1"].result["steps"][-1]["id"] == "tax"


def test_owners_who_moved_out_or_died_before_1_april_are_flagged(town: Town) -> None:
    """種別割 is levied where the 主たる定置場 is on 1 April; an owner who moved out (or died)
    before it may have taken the vehicle away (or left it to heirs). Not assessed silently:
    flagged for the clerk."""
    with tenant_scope(town.code):
        import_file(town.vehicles())
        tenshutsu_yotei(
            atena_nos=[town["次郎"]],
            moved_on=dt.date(2026, 3, 20),
            notified_on=dt.date(2026, 3, 18),
            destination="ドイツ連邦共和国ベルリン市",
            abroad=True,
        )
        shibou(atena_no=town["ウメ"], died_on=dt.date(2026, 2, 1), notified_on=dt.date(2026, 2, 2))
    dispatch_once()
    with tenant_scope(town.code):
        run = toshokazei(YEAR)
    flagged = {f["hyoshiki_no"]: f for f in run.flagged}
    assert set(flagged) == {"射水市あ2", "射水市あ3"}
    assert "転出" in flagged["射水市あ2"]["reason"] and "ベルリン" in flagged["射水市あ2"]["reason"]
    assert "定置場" in flagged["射水市あ2"]["reason"]
    assert (
        "死亡" in flagged["射水市あ3"]["reason"]
        and flagged["射水市あ3"]["atena_no"] == town["ウメ"]
    )
    assert set(_taxed(town.code)) == {"射水市あ1", "射水市あ6", "射水市あ7", "射水市あ9"}


def test_a_bad_file_is_reported_row_by_row_and_nothing_is_stored(town: Town) -> None:
    t = town["太郎"]
    bad = write(
        town.tmp_path,
        "bad.csv",
        [
            HEADER,
            f"射水市い1,登録,2020-01-01,,,,,{t}",  # no 車種
            f"射水市い2,登録,2020-01-01,軽四輪乗用,,2019-01,ガソリン,{t}",  # no 用途
            f"射水市い3,登録,2020-01-01,軽四輪貨物,自家用,,ガソリン,{t}",  # no 初度検査年月
            f"射水市い4,登録,2020-01-01,軽四輪乗用,自家用,2019-01,水素,{t}",
            "射水市い5,登録,2020-01-01,原付一種,,,,99999999",  # nobody
            "射水市い6,廃車,2020-01-01,,,,,",  # never registered
            f"射水市い7,登録,2020-01-01,原付一種,,,,{t}",
            f"射水市い7,登録,2020-01-01,原付一種,,,,{t}",  # twice
            f"射水市い8,登録,2020-13-01,原付一種,,,,{t}",
            f"射水市い9,登録,2020-01-01,軽四輪乗用,自家用,2021-05,ガソリン,{t}",  # inspected later
            f"射水市い10,売却,2020-01-01,原付一種,,,,{t}",
        ],
    )
    with tenant_scope(town.code):
        report = import_file(bad)
        assert report.imported == 0 and not Sharyo.objects.exists()
    assert {(p.line, p.field) for p in report.problems} == {
        (2, "車種"),
        (3, "用途"),
        (4, "初度検査年月"),
        (5, "燃料"),
        (6, "所有者"),
        (7, "標識番号"),
        (9, "標識番号"),
        (10, "異動日"),
        (11, "初度検査年月"),
        (12, "異動区分"),
    }
    assert all(p.file == str(bad) and p.reason for p in report.problems)
    reasons = {p.line: p.reason for p in report.problems}
    assert "登録のない車両の廃車" in reasons[7] and "8行目と同じ異動" in reasons[9]


def test_a_stopped_run_resumes_and_the_same_file_is_not_taken_twice(town: Town) -> None:
    with tenant_scope(town.code):
        import_file(town.vehicles())
        assert "受付済み" in import_file(town.vehicles()).problems[0].reason
        toshokazei(YEAR, chunk=2, stop_after=1)
        assert Kazei.objects.count() == 2
        with pytest.raises(ValidationFailed, match="--resume"):
            toshokazei(YEAR)
        run = toshokazei(YEAR, chunk=2, resume=True)
        assert run.finished_at is not None and run.done == 6
        numbers = list(Kazei.objects.values_list("hyoshiki_no", flat=True))
        assert len(numbers) == len(set(numbers)) == 6


def test_each_assessment_is_announced_on_the_hub_and_audited(town: Town) -> None:
    with tenant_scope(town.code):
        parameter_set(
            key="zei_kei.noki",
            value=["04-30"],
            effective_from=dt.date(2026, 4, 1),
            source="試験市市税条例 第82条",
        )
        import_file(town.vehicles())
        toshokazei(YEAR)
        events = [e.payload for e in OutboxEvent.objects.filter(name="zei_kei.assessed")]
        assert sorted(p["hyoshiki_no"] for p in events) == sorted(_taxed(town.code))
        heavy = next(p for p in events if p["hyoshiki_no"] == "射水市あ1")
        assert heavy["rate_kind"] == "heavy" and heavy["total"] == 12_900
        assert heavy["installments"][0]["due"] == "2026-04-30"
        assert heavy["atena_no"] == town["太郎"]
    with tenant_scope(town.code):
        audited = AuditRecord.objects.filter(object_type="zei_kei.kazei").get()
        assert set(audited.detail["atena_nos"]) == {
            town["太郎"],
            town["花子"],
            town["ウメ"],
            town["次郎"],
        }


def test_notices_print_one_page_per_vehicle_in_postal_order(town: Town, tmp_path: Path) -> None:
    out = tmp_path / "print"
    with tenant_scope(town.code):
        import_file(town.vehicles())
        toshokazei(YEAR)
        manifest = print_notices(YEAR, out, per_file=10)
    assert manifest["total"] == 6 and [f["count"] for f in manifest["files"]] == [6]
    text = squash(pdftotext((out / "00001.pdf").read_bytes(), tmp_path))
    assert text.count("軽自動車税（種別割）納税通知書") == 6
    heavy = next(p for p in text.split("通知書番号")[1:] if "射水市あ1" in p)
    assert "山田太郎様" in heavy and "12,900円" in heavy and "重課（13年経過）" in heavy
    assert "軽四輪乗用" in heavy and "2012-10" in heavy and "4月1日（賦課期日）" in heavy
    assert "全期納期限令和8年6月1日" in heavy and "審査請求" in heavy
    assert text.index("佐藤ウメ様") < text.index("山田太郎様")  # 〒930-0001 before 〒939-0000
    with tenant_scope(town.code):
        issued = AuditRecord.objects.filter(object_type="zei_kei.notices", action="issue").get()
        assert town["ウメ"] in issued.detail["atena_nos"]


def test_the_cli_imports_runs_shows_and_prints(town: Town, tmp_path: Path) -> None:
    bad = write(tmp_path, "bad.csv", [HEADER, "射水市う1,登録,2020-01-01,原付一種,,,,999999"])
    err = io.StringIO()
    with pytest.raises(SystemExit) as caught:
        call_command(
            "zei_kei", "import", str(bad), "--tenant", town.code,
            "--report", str(tmp_path / "report.json"), stdout=io.StringIO(), stderr=err,
        )  # fmt: skip
    assert caught.value.code == 1
    assert f"{bad}, line 2, field '所有者'" in err.getvalue()
    assert json.loads((tmp_path / "report.json").read_text())["problems"][0]["field"] == "所有者"
    call_command(
        "zei_kei", "import", str(town.vehicles()), "--tenant", town.code,
        stdout=io.StringIO(), stderr=io.StringIO(),
    )  # fmt: skip
    out, progress = io.StringIO(), io.StringIO()
    call_command(
        "zei_kei", "toshokazei", "--tenant", town.code, "--fiscal-year", "2026",
        stdout=out, stderr=progress,
    )  # fmt: skip
    assert json.loads(out.getvalue())["assessed"] == 6
    assert "6 / 6 台 (100.0 %)" in progress.getvalue()
    shown = io.StringIO()
    call_command(
        "zei_kei", "show", "--tenant", town.code, "--fiscal-year", "2026",
        "--atena-no", str(town["太郎"]), stdout=shown,
    )  # fmt: skip
    data = json.loads(shown.getvalue())
    assert [a["hyoshiki_no"] for a in data["assessments"]] == ["射水市あ1", "射水市あ9"]
    assert {v["hyoshiki_no"] for v in data["vehicles"]} == {
        "射水市あ1",
        "射水市あ4",
        "射水市あ8",
        "射水市あ9",
    }
    printed = io.StringIO()
    call_command(
        "zei_kei", "notices", "--tenant", town.code, "--fiscal-year", "2026",
        "--out", str(tmp_path / "cli-print"), stdout=printed, stderr=io.StringIO(),
    )  # fmt: skip
    assert json.loads(printed.getvalue()) == {"files": 1, "notices": 6}
