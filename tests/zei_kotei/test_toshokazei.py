"""固定資産税の当初課税: owners on 1 January, the 免税点 per 納税義務者, co-owners, the
住宅用地特例 through the calculator, deaths from the hub, resuming, the event, the notices and
the command line."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from kyodo.linkage.dispatch import dispatch_once
from kyodo.linkage.models import OutboxEvent
from kyodo.platform.errors import ValidationFailed
from kyodo.platform.models import AuditRecord
from kyodo.platform.parameters import parameter_set
from kyodo.platform.tenancy.context import tenant_scope
from kyodo.rules import kotei
from kyodo.units.juki.services.shussei_shibou import shibou
from kyodo.units.zei_kotei.daicho import import_file
from kyodo.units.zei_kotei.models import Kazei
from kyodo.units.zei_kotei.notice_batch import print_notices
from kyodo.units.zei_kotei.owners import owner_key
from kyodo.units.zei_kotei.toshokazei import toshokazei
from tests.pdf import pdftotext, squash
from tests.zei_kotei.conftest import SHOYU_HEADER, TOCHI_HEADER, YEAR, Town, write

pytestmark = pytest.mark.django_db


def _by_owner(code: str) -> dict[tuple[int, ...], Kazei]:
    with tenant_scope(code):
        return {tuple(o["atena_no"] for o in r.owners): r for r in Kazei.objects.all()}


def test_each_owner_is_assessed_on_everything_they_hold(town: Town) -> None:
    town.imported()
    with tenant_scope(town.code):
        progress = []
        run = toshokazei(YEAR, chunk=2, progress=progress.append)
    t, h, u, j, k = (town[g] for g in ("太郎", "花子", "ウメ", "次郎", "一郎"))
    assert run.done == run.total == 5 and [p.done for p in progress] == [2, 4, 5]
    assert run.flagged == []
    rows = _by_owner(town.code)
    assert set(rows) == {(t,), (t, h), (u,), (j,), (k,)}
    # 太郎 alone: rules.md §3 V-FA-2 — 住宅用地 200 ㎡ × 1/6 = 2,000,000 → 28,000, and a new
    # house of 120 ㎡ valued 15,000,000 → 210,000 halved to 105,000: 133,000.
    taro = rows[(t,)]
    assert [a["tax_base"] for a in taro.assets] == [2_000_000, 15_000_000]
    assert taro.assets[0]["use"] == "住宅用地" and taro.assets[1]["reduction"] == 105_000
    assert (taro.tax, taro.city_planning_tax, taro.total) == (133_000, 0, 133_000)
    assert taro.total == kotei.calculate(taro.calc_input)["total"]
    # 地方税法 第362条: 4月・7月・12月・2月; the remainder of 133,000 / 4 in the first.
    assert [(i["due"], i["amount"]) for i in taro.installments] == [
        ("2026-04-30", 33_400),
        ("2026-07-31", 33_200),
        ("2026-12-25", 33_200),
        ("2027-03-01", 33_200),  # 2月28日 is a Sunday (第20条の5第2項)
    ]
    # 太郎 and 花子 together are another 納税義務者 (第10条の2): 商業地等 at 負担水準 0.65,
    # its base kept (据置) at 6,500,000 × 1.4% = 91,000, addressed to the first listed.
    shared = rows[(t, h)]
    assert shared.total == 91_000 and shared.atena_no == t
    assert shared.owners == [
        {"atena_no": t, "representative": True},
        {"atena_no": h, "representative": False},
    ]
    assert shared.assets[0]["owners"] == [
        {"atena_no": t, "share": "1/2"},
        {"atena_no": h, "share": "1/2"},
    ]
    assert shared.notice_no != taro.notice_no


def test_the_menzeiten_is_judged_per_owner_over_all_their_land(town: Town) -> None:
    """地方税法 第351条: no tax when one owner's land in the municipality adds up to less than
    30万. ウメ's two lots of 210,000 each add up to 420,000 (taxed: 5,880 → 5,800); 次郎's one
    lot of 210,000 is below it."""
    town.imported()
    with tenant_scope(town.code):
        toshokazei(YEAR)
    rows = _by_owner(town.code)
    ume, jiro = rows[(town["ウメ"],)], rows[(town["次郎"],)]
    assert (ume.land_tax_base, ume.total) == (420_000, 5_800)
    assert ume.result["exempt"] == {"land": False, "houses": False}
    assert (jiro.land_tax_base, jiro.total, jiro.installments) == (210_000, 0, [])
    assert jiro.result["exempt"]["land"] is True


def test_the_owner_is_the_one_registered_on_1_january(town: Town) -> None:
    """地方税法 第343条第2項・第359条: the 所有者 registered on the 賦課期日 (1 January) pays
    for the whole 年度. A transfer registered on 28 December moves lot 201 to 一郎 for 令和8年度;
    one registered on 2 January leaves lot 300 with 次郎."""
    town.imported()
    transfers = write(
        town.tmp_path,
        "iten.csv",
        [
            SHOYU_HEADER,
            f"土地,新町,201,{town['一郎']},2025-12-28",
            f"土地,新町,300,{town['一郎']},2026-01-02",
        ],
    )
    with tenant_scope(town.code):
        assert import_file(transfers, kind="shoyu", fiscal_year=None).imported == 2
        toshokazei(YEAR)
    rows = _by_owner(town.code)
    ichiro = rows[(town["一郎"],)]
    assert {(a["shozai"], a["bango"]) for a in ichiro.assets} == {
        ("新町", "201"),
        ("本町二丁目5番地", "5"),
    }
    assert [a["bango"] for a in rows[(town["次郎"],)].assets] == ["300"]
    # ウメ keeps one lot of 210,000 only: now under the 免税点.
    assert rows[(town["ウメ"],)].total == 0


def test_an_owner_dead_before_1_january_is_flagged_not_assessed(town: Town) -> None:
    """地方税法 第9条・第9条の2・第343条第2項: when the registered owner died before the
    賦課期日, the heirs who own the land that day are liable, through a 相続人代表者 — the batch
    says so and does not assess the deceased. A death after it (ウメ, 1 February) is assessed
    (the heirs take the obligation over) and flagged for the notice's addressee."""
    town.imported()
    saburo, ume = town["三郎"], town["ウメ"]
    lot = write(
        town.tmp_path,
        "saburo.csv",
        [TOCHI_HEADER, f"新町,400,宅地,商業地等,100,,10000000,6500000,{saburo},1999-01-01"],
    )
    with tenant_scope(town.code):
        import_file(lot, kind="tochi", fiscal_year=YEAR)
        shibou(atena_no=saburo, died_on=dt.date(2025, 11, 30), notified_on=dt.date(2025, 12, 1))
        shibou(atena_no=ume, died_on=dt.date(2026, 2, 1), notified_on=dt.date(2026, 2, 2))
    dispatch_once()
    with tenant_scope(town.code):
        run = toshokazei(YEAR)
        assert not Kazei.objects.filter(owner_key=owner_key([saburo])).exists()
    flagged = {tuple(f["owners"]): f for f in run.flagged}
    assert set(flagged) == {(saburo,), (ume,)}
    dead, succession = flagged[(saburo,)], flagged[(ume,)]
    assert dead["owners"] == [saburo] and dead["assessed"] is False
    assert "相続人代表者の指定が必要" in dead["reason"] and "2025-11-30" in dead["reason"]
    assert dead["assets"] == ["土地 新町 400"]
    assert succession["owners"] == [ume] and succession["assessed"] is True
    assert "第9条" in succession["reason"]
    assert _by_owner(town.code)[(ume,)].notes == [succession["reason"]]


def test_heirs_recorded_from_the_death_are_assessed_together(town: Town) -> None:
    """Once the clerk records the heirs as owners from the day of death (現に所有する者,
    第343条第2項後段), they are one 納税義務者, jointly liable, addressed to the first listed."""
    town.imported()
    saburo, t, j = town["三郎"], town["太郎"], town["次郎"]
    lot = write(
        town.tmp_path,
        "saburo.csv",
        [TOCHI_HEADER, f"新町,400,宅地,商業地等,100,,10000000,6500000,{saburo},1999-01-01"],
    )
    heirs = write(
        town.tmp_path,
        "heirs.csv",
        [SHOYU_HEADER, f"土地,新町,400,{j}:1/2;{t}:1/2,2025-11-30"],
    )
    with tenant_scope(town.code):
        import_file(lot, kind="tochi", fiscal_year=YEAR)
        shibou(atena_no=saburo, died_on=dt.date(2025, 11, 30), notified_on=dt.date(2025, 12, 1))
        import_file(heirs, kind="shoyu", fiscal_year=None)
    dispatch_once()
    with tenant_scope(town.code):
        run = toshokazei(YEAR)
    assert run.flagged == []
    row = _by_owner(town.code)[(j, t)]
    assert (row.atena_no, row.total) == (j, 91_000)


def test_a_stopped_run_resumes_without_assessing_anyone_twice(town: Town) -> None:
    town.imported()
    with tenant_scope(town.code):
        toshokazei(YEAR, chunk=2, stop_after=1)
        assert Kazei.objects.count() == 2
        with pytest.raises(ValidationFailed, match="--resume"):
            toshokazei(YEAR)
        run = toshokazei(YEAR, chunk=2, resume=True)
        assert run.finished_at is not None and run.done == 5
        keys = list(Kazei.objects.values_list("owner_key", flat=True))
        assert len(keys) == len(set(keys)) == 5
        assert len(set(Kazei.objects.values_list("notice_no", flat=True))) == 5
        with pytest.raises(ValidationFailed, match="実施済み"):
            toshokazei(YEAR, resume=True)


def test_each_assessment_is_announced_on_the_hub_and_audited(town: Town) -> None:
    town.imported()
    with tenant_scope(town.code):
        toshokazei(YEAR)
        events = {
            e.payload["notice_no"]: e for e in OutboxEvent.objects.filter(name="zei_kotei.assessed")
        }
        rows = {r.notice_no: r for r in Kazei.objects.all()}
        assert set(events) == set(rows)
        taro = next(r for r in rows.values() if r.owner_key == owner_key([town["太郎"]]))
        payload = events[taro.notice_no].payload
        assert payload["atena_no"] == town["太郎"] and payload["total"] == 133_000
        assert sum(i["amount"] for i in payload["installments"]) == 133_000
        assert events[taro.notice_no].atena_no == town["太郎"]
    with tenant_scope(town.code):  # the audit trail is written when the scope commits
        audited = AuditRecord.objects.filter(object_type="zei_kotei.kazei").get()
        assert set(audited.detail["atena_nos"]) == {
            town[g] for g in ("太郎", "花子", "ウメ", "次郎", "一郎")
        }


def test_the_municipality_levies_toshi_keikaku_zei_and_sets_its_noki(town: Town) -> None:
    """都市計画税 (地方税法 第702条・第702条の4, 住宅用地 1/3 per 第702条の3) beside 固定資産税,
    collected with it (第702条の8): 太郎's 住宅用地 4,000,000 + house 15,000,000 at 0.3% =
    57,000, without the 新築 reduction."""
    town.imported()
    with tenant_scope(town.code):
        parameter_set(
            key="zei_kotei.city_planning_rate",
            value=0.003,
            effective_from=dt.date(2026, 4, 1),
            source="試験市都市計画税条例 第2条",
        )
        parameter_set(
            key="zei_kotei.noki",
            value=["05-31", "07-31", "12-25", "02-28"],
            effective_from=dt.date(2026, 4, 1),
            source="試験市市税条例 第64条",
        )
        toshokazei(YEAR)
    taro = _by_owner(town.code)[(town["太郎"],)]
    assert (taro.tax, taro.city_planning_tax, taro.total) == (133_000, 57_000, 190_000)
    assert taro.installments[0]["due"] == "2026-06-01"  # 5月31日 is a Sunday
    assert any("都市計画税の前年度課税標準額" in note for note in taro.notes)


def test_notices_list_every_asset_and_print_in_postal_order(town: Town, tmp_path: Path) -> None:
    town.imported()
    out = tmp_path / "print"
    with tenant_scope(town.code):
        toshokazei(YEAR)
        seen: list[tuple[int, int]] = []
        manifest = print_notices(YEAR, out, per_file=3, progress=lambda d, t: seen.append((d, t)))
    # 次郎 is under the 免税点: four notices, not five.
    assert manifest["complete"] and [f["count"] for f in manifest["files"]] == [3, 1]
    assert seen == [(3, 4), (4, 4)]
    texts = [squash(pdftotext((out / f["name"]).read_bytes(), tmp_path)) for f in manifest["files"]]
    everything = "".join(texts)
    assert everything.count("固定資産税納税通知書") == 4 and "課税明細書" in everything
    assert "鈴木次郎" not in everything
    # 一郎 lives elsewhere (住登外, no 郵便番号), then ウメ (〒930-0001), then 〒939-0000.
    first = texts[0]
    assert first.index("田中一郎様") < first.index("佐藤ウメ様") < first.index("山田太郎様")
    assert "東京都千代田区丸の内1-1" in first and "〒930-0001" in first
    pages = everything.split("通知書番号")[1:]
    taro = "".join(p for p in pages if "山田太郎様" in p and "共有者" not in p)
    assert "年税額133,000円" in taro and "新築住宅の減額105,000円" in taro
    assert "宅地（住宅用地）200.00㎡12,000,0002,000,000" in taro  # 価格 and 課税標準額
    assert (
        "本町一丁目100" in taro
        and "審査請求" in everything
        and "固定資産評価審査委員会" in everything
    )
    assert "共有者:山田花子（1名）" in everything and "1/2（共有2名）" in everything
    with tenant_scope(town.code):
        issued = AuditRecord.objects.filter(object_type="zei_kotei.notices", action="issue")
        assert town["花子"] in {n for a in issued for n in a.detail["atena_nos"]}
        with pytest.raises(ValidationFailed, match="--resume"):
            print_notices(YEAR, out)
        (out / "00002.pdf").write_bytes(b"damaged")
        before = (out / "00001.pdf").stat().st_mtime_ns
        again = print_notices(YEAR, out, resume=True)
        assert (out / "00001.pdf").stat().st_mtime_ns == before
        assert (out / "00002.pdf").read_bytes().startswith(b"%PDF")
        assert [f["name"] for f in again["files"]] == ["00001.pdf", "00002.pdf"]


def test_the_cli_imports_runs_shows_and_prints(town: Town, tmp_path: Path) -> None:
    bad = write(
        tmp_path, "bad.csv", [TOCHI_HEADER, "本町,1,宅地,住宅用地,200,1,1,1,999999,2020-01-01"]
    )
    err = io.StringIO()
    with pytest.raises(SystemExit) as caught:
        call_command(
            "zei_kotei", "import", str(bad), "--kind", "tochi", "--tenant", town.code,
            "--fiscal-year", "2026", "--report", str(tmp_path / "report.json"),
            stdout=io.StringIO(), stderr=err,
        )  # fmt: skip
    assert caught.value.code == 1
    assert f"{bad}, line 2, field '所有者'" in err.getvalue()
    assert json.loads((tmp_path / "report.json").read_text())["problems"][0]["line"] == 2
    for path, kind in ((town.land(), "tochi"), (town.houses(), "kaoku")):
        call_command(
            "zei_kotei", "import", str(path), "--kind", kind, "--tenant", town.code,
            "--fiscal-year", "2026", stdout=io.StringIO(), stderr=io.StringIO(),
        )  # fmt: skip
    out, progress = io.StringIO(), io.StringIO()
    call_command(
        "zei_kotei", "toshokazei", "--tenant", town.code, "--fiscal-year", "2026",
        stdout=out, stderr=progress,
    )  # fmt: skip
    assert json.loads(out.getvalue())["assessed"] == 5
    assert "5 / 5 件 (100.0 %)" in progress.getvalue()
    shown = io.StringIO()
    call_command(
        "zei_kotei", "show", "--tenant", town.code, "--fiscal-year", "2026",
        "--atena-no", str(town["花子"]), stdout=shown,
    )  # fmt: skip
    [row] = json.loads(shown.getvalue())["assessments"]
    assert row["total"] == 91_000 and row["steps"][0]["id"].startswith("land[0]")
    printed = io.StringIO()
    call_command(
        "zei_kotei", "notices", "--tenant", town.code, "--fiscal-year", "2026",
        "--out", str(tmp_path / "cli-print"), stdout=printed, stderr=io.StringIO(),
    )  # fmt: skip
    assert json.loads(printed.getvalue()) == {"files": 1, "notices": 4}
    with pytest.raises(Exception, match="--fiscal-year"):
        call_command("zei_kotei", "toshokazei", "--tenant", town.code, stdout=io.StringIO())
