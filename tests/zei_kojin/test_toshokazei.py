"""個人住民税: 課税資料 received from files, and the 当初課税 batch (resumable, audited,
announced on the hub), with the municipality's parameters."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.management import call_command

from kyodo.linkage.models import OutboxEvent
from kyodo.platform.errors import ValidationFailed
from kyodo.platform.models import AuditRecord, Tenant
from kyodo.platform.parameters import parameter_set
from kyodo.platform.tenancy.context import tenant_scope
from kyodo.rules import juminzei
from kyodo.units.juki.services.common import Address
from kyodo.units.zei_kojin.models import Kazei, KazeiShiryo
from kyodo.units.zei_kojin.shiryo import import_file, register_shinkoku
from kyodo.units.zei_kojin.toshokazei import toshokazei
from tests.juki.helpers import bad_my_number, member, move_in, my_number

pytestmark = pytest.mark.django_db
YEAR = 2026
KYUYO_HEADER = (
    "提出義務者番号,提出義務者名称,個人番号,氏名,生年月日,支払金額,社会保険料等の金額,"
    "控除対象配偶者の生年月日,配偶者の合計所得,扶養親族,普通徴収切替理由"
)
NENKIN_HEADER = "年金保険者番号,年金保険者名称,個人番号,氏名,生年月日,支払金額,社会保険料の金額"
TARO = my_number("11112222333")
LIVED_HERE = dt.date(2025, 6, 1)  # before the 賦課期日 of 令和8年度 (1 January 2026)


@pytest.fixture
def tenant(make_tenant: Callable[..., Tenant]) -> Tenant:
    t = make_tenant()
    with tenant_scope(t.code):
        move_in(
            moved_on=LIVED_HERE,
            members=[
                member("山田", "太郎", birth=dt.date(1980, 4, 1), my_number=TARO),
                member(
                    "山田",
                    "花子",
                    "ヤマダ",
                    "ハナコ",
                    birth=dt.date(1983, 2, 10),
                    sex=2,
                    relationship="妻",
                ),
                member(
                    "山田",
                    "一郎",
                    "ヤマダ",
                    "イチロウ",
                    birth=dt.date(2008, 7, 7),
                    relationship="子",
                ),
            ],
        )
        move_in(
            [member("佐藤", "ウメ", "サトウ", "ウメ", birth=dt.date(1959, 6, 1), sex=2)],
            moved_on=LIVED_HERE,
        )
        move_in(
            [member("鈴木", "次郎", "スズキ", "ジロウ", birth=dt.date(1990, 1, 20))],
            moved_on=LIVED_HERE,
            address=Address(town="新町", banchi="1", postal_code="930-0001"),
        )
    return t


def _write(tmp_path: Path, name: str, lines: list[str], encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes("\n".join(lines).encode(encoding))
    return path


def _files(tmp_path: Path) -> tuple[Path, Path]:
    kyuyo = _write(
        tmp_path,
        "kyuyo.csv",
        [
            KYUYO_HEADER,
            f"1001,株式会社射水製作所,{TARO},山田 太郎,1980-04-01,5000000,500000,"
            "1983-02-10,0,2008-07-07:0,",
            ",".join(
                [
                    "1002",
                    "合同会社本町商店",
                    "",
                    "鈴木　次郎",
                    "H2.1.20",
                    "2400000",
                    "360000",
                    "",
                    "",
                    "",
                    "退職",
                ]
            ),
        ],
    )
    nenkin = _write(
        tmp_path,
        "nenkin.csv",
        [NENKIN_HEADER, "0001,日本年金機構,,佐藤ウメ,1959-06-01,3000000,150000"],
    )
    return kyuyo, nenkin


def _atena(code: str, given: str) -> int:
    from kyodo.atena.models import Person

    with tenant_scope(code):
        return Person.objects.get(given_name=given).atena_no


def test_files_are_received_and_the_batch_assesses_everyone(tenant: Tenant, tmp_path: Path) -> None:
    kyuyo, nenkin = _files(tmp_path)
    with tenant_scope(tenant.code):
        assert import_file(kyuyo, kind="kyuyo", fiscal_year=YEAR).imported == 2
        assert import_file(nenkin, kind="nenkin", fiscal_year=YEAR).imported == 1
        progress = []
        run = toshokazei(YEAR, chunk=2, progress=progress.append)
    assert run.done == run.total == 3 and [p.done for p in progress] == [2, 3]
    taro, ume, jiro = (_atena(tenant.code, g) for g in ("太郎", "ウメ", "次郎"))
    with tenant_scope(tenant.code):
        rows = {r.atena_no: r for r in Kazei.objects.all()}
        # 太郎: the example household (spouse, a 17-year-old); 給与特別徴収 June → May.
        taro_row = rows[taro]
        assert taro_row.calc_input["taxpayer"]["age"] == 45  # on 31 December 2025
        assert taro_row.calc_input["dependents"] == [{"age": 17, "income": 0}]
        assert taro_row.total == juminzei.calculate(taro_row.calc_input)["total"] == 194_500
        assert taro_row.choshu == {"kyuyo_tokucho": 194_500, "futsu": 0, "nenkin_tokucho": 0}
        assert taro_row.tokucho_payer_no == "1001"
        months = [i for i in taro_row.installments if i["kind"] == "kyuyo_tokucho"]
        assert len(months) == 12 and sum(i["amount"] for i in months) == 194_500
        # 次郎: the employer switched him to 普通徴収 (退職): four 期 with the remainder in 第1期.
        jiro_row = rows[jiro]
        assert jiro_row.choshu["futsu"] == jiro_row.total and jiro_row.tokucho_payer_no == ""
        futsu = [i["amount"] for i in jiro_row.installments]
        assert len(futsu) == 4 and sum(futsu) == jiro_row.total and futsu[0] >= futsu[1]
        # ウメ: 66 on 1 April 2026 with a pension of 300万: 年金特別徴収, first year (half 普通).
        ume_row = rows[ume]
        assert ume_row.choshu["nenkin_tokucho"] == ume_row.total > 0
        kinds = [i["kind"] for i in ume_row.installments]
        assert kinds == ["futsu", "futsu", "nenkin_hon", "nenkin_hon", "nenkin_hon"]
        assert OutboxEvent.objects.filter(name="zei_kojin.assessed").count() == 3
    # 国保 learns each person's 所得 from the hub (never by reading zei_kojin's tables).
    from kyodo.linkage.dispatch import dispatch_once
    from kyodo.units.kokuho.models import Shotoku

    dispatch_once()
    with tenant_scope(tenant.code):
        incomes = {s.atena_no: s for s in Shotoku.objects.filter(fiscal_year=YEAR)}
        assert set(incomes) == {taro, ume, jiro}
        assert incomes[taro].so_shotoku == 3_560_000 and incomes[taro].salary_income == 5_000_000
        assert incomes[ume].pension_income == 3_000_000
    with tenant_scope(tenant.code):
        audited = AuditRecord.objects.filter(object_type="zei_kojin.kazei")
        assert sorted(n for a in audited for n in a.detail["atena_nos"]) == sorted(
            [taro, ume, jiro]
        )
        with pytest.raises(ValidationFailed, match="実施済み"):
            toshokazei(YEAR)


def test_a_stopped_run_resumes_without_assessing_anyone_twice(
    tenant: Tenant, tmp_path: Path
) -> None:
    kyuyo, nenkin = _files(tmp_path)
    with tenant_scope(tenant.code):
        import_file(kyuyo, kind="kyuyo", fiscal_year=YEAR)
        import_file(nenkin, kind="nenkin", fiscal_year=YEAR)
        toshokazei(YEAR, chunk=1, stop_after=1)
        assert Kazei.objects.count() == 1
        with pytest.raises(ValidationFailed, match="--resume"):
            toshokazei(YEAR)
        run = toshokazei(YEAR, chunk=1, resume=True)
        assert run.finished_at is not None and run.done == 3
        assert sorted(Kazei.objects.values_list("atena_no", flat=True)) == sorted(
            set(Kazei.objects.values_list("atena_no", flat=True))
        )
        assert Kazei.objects.count() == 3


def test_the_municipality_parameters_apply_from_their_date(tenant: Tenant, tmp_path: Path) -> None:
    kyuyo, _nenkin = _files(tmp_path)
    with tenant_scope(tenant.code):
        parameter_set(
            key="zei_kojin.city_kintouwari",
            value=3500,
            effective_from=dt.date(2026, 4, 1),
            source="試験市市税条例 第33条",
        )
        parameter_set(
            key="zei_kojin.futsu_noki",
            value=["06-30", "08-31", "10-31", "12-25"],
            effective_from=dt.date(2026, 4, 1),
            source="試験市市税条例 第38条",
        )
        import_file(kyuyo, kind="kyuyo", fiscal_year=YEAR)
        toshokazei(YEAR)
        jiro = Kazei.objects.get(atena_no=_atena(tenant.code, "次郎"))
        assert jiro.city_kintouwari == 3500
        assert jiro.installments[-1]["due"] == "2026-12-25"


def test_a_bad_file_is_reported_row_by_row_and_nothing_is_stored(
    tenant: Tenant, tmp_path: Path
) -> None:
    bad = _write(
        tmp_path,
        "bad.csv",
        [
            KYUYO_HEADER,
            f"1001,射水製作所,{TARO},山田 太郎,1980-04-01,5000000,500000,,,,",
            f"1001,射水製作所,{TARO},山田 太郎,1980-04-01,5000000,500000,,,,",  # duplicate
            "1001,射水製作所,,山田 花子,1983-02-10,12万,0,,,,",  # not an integer
            "1001,射水製作所,,山田 花子,1983-13-10,100,0,,,,",  # no such date
            "1001,射水製作所,,山田 三郎,1983-02-10,100,0,,,,",  # nobody
            f"1001,射水製作所,{bad_my_number(TARO[:11])},山田 太郎,1980-04-01,100,0,,,,",
            "1001,射水製作所,,鈴木 次郎,1990-01-20,100,0,,,2010-01-01,",  # no dependant income
            "1001,射水製作所,,鈴木 次郎",  # truncated
        ],
    )
    with tenant_scope(tenant.code):
        report = import_file(bad, kind="kyuyo", fiscal_year=YEAR)
        assert report.imported == 0 and not KazeiShiryo.objects.exists()
    found = {(p.line, p.field) for p in report.problems}
    assert found == {
        (3, "個人番号"),
        (4, "支払金額"),
        (5, "生年月日"),
        (6, "氏名"),
        (7, "個人番号"),
        (8, "扶養親族"),
        (9, ""),
    }
    assert all(p.file == str(bad) and p.reason for p in report.problems)
    assert "2行目と同じ人" in next(p.reason for p in report.problems if p.line == 3)


def test_layout_encoding_and_the_same_file_twice(tenant: Tenant, tmp_path: Path) -> None:
    kyuyo, _nenkin = _files(tmp_path)
    sjis = _write(tmp_path, "sjis.csv", kyuyo.read_text(encoding="utf-8").splitlines(), "cp932")
    missing = _write(
        tmp_path, "missing.csv", ["提出義務者番号,氏名,生年月日,謎の項目", "1,a,2000-01-01,x"]
    )
    with tenant_scope(tenant.code):
        [problem] = import_file(sjis, kind="kyuyo", fiscal_year=YEAR).problems
        assert "utf-8" in problem.reason and problem.line == 1  # the header is Japanese too
        assert import_file(sjis, kind="kyuyo", fiscal_year=YEAR, encoding="cp932").imported == 2
        again = import_file(kyuyo, kind="kyuyo", fiscal_year=YEAR, dry_run=True)
        assert again.problems == []  # same rows, another file: not a duplicate of a file
        assert (
            import_file(sjis, kind="kyuyo", fiscal_year=YEAR, encoding="cp932")
            .problems[0]
            .reason.startswith("このファイルは受付済み")
        )
        header = {p.field for p in import_file(missing, kind="kyuyo", fiscal_year=YEAR).problems}
        assert {"謎の項目", "提出義務者名称", "支払金額", "社会保険料等の金額"} <= header
        assert KazeiShiryo.objects.count() == 2


def test_a_shinkoku_states_what_the_payers_did_not(tenant: Tenant, tmp_path: Path) -> None:
    kyuyo, _nenkin = _files(tmp_path)
    jiro = _atena(tenant.code, "次郎")
    statement = tmp_path / "shinkoku.json"
    statement.write_text(json.dumps([{"atena_no": jiro, "taxpayer": {"other_income": 400000}}]))
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps([{"atena_no": jiro, "taxpayer": {"other_income": -1}}]))
    with tenant_scope(tenant.code):
        import_file(kyuyo, kind="kyuyo", fiscal_year=YEAR)
        [problem] = register_shinkoku(broken, fiscal_year=YEAR).problems
        assert problem.field == "[0].taxpayer.other_income"
        assert register_shinkoku(statement, fiscal_year=YEAR).imported == 1
        toshokazei(YEAR)
        row = Kazei.objects.get(atena_no=jiro)
        assert row.calc_input["taxpayer"]["other_income"] == 400_000
        without = juminzei.calculate(
            {**row.calc_input, "taxpayer": {**row.calc_input["taxpayer"], "other_income": 0}}
        )
        assert row.total > without["total"]


def test_the_cli_reports_problems_and_runs_the_batch(tenant: Tenant, tmp_path: Path) -> None:
    kyuyo, nenkin = _files(tmp_path)
    bad = _write(tmp_path, "bad.csv", [KYUYO_HEADER, "1001,x,,誰か,1980-04-01,1,0,,,,"])
    err = io.StringIO()
    with pytest.raises(SystemExit) as caught:
        call_command(
            "zei_kojin", "import", str(bad), "--kind", "kyuyo", "--tenant", tenant.code,
            "--fiscal-year", "2026", "--report", str(tmp_path / "report.json"),
            stdout=io.StringIO(), stderr=err,
        )  # fmt: skip
    assert caught.value.code == 1
    assert f"{bad}, line 2, field '氏名'" in err.getvalue()
    assert json.loads((tmp_path / "report.json").read_text())["problems"][0]["line"] == 2
    for path, kind in ((kyuyo, "kyuyo"), (nenkin, "nenkin")):
        call_command(
            "zei_kojin", "import", str(path), "--kind", kind, "--tenant", tenant.code,
            "--fiscal-year", "2026", stdout=io.StringIO(), stderr=io.StringIO(),
        )  # fmt: skip
    progress, out = io.StringIO(), io.StringIO()
    call_command(
        "zei_kojin", "toshokazei", "--tenant", tenant.code, "--fiscal-year", "2026",
        stdout=out, stderr=progress,
    )  # fmt: skip
    assert json.loads(out.getvalue())["assessed"] == 3
    assert "3 / 3 人 (100.0 %)" in progress.getvalue()
    shown = io.StringIO()
    call_command(
        "zei_kojin", "show", "--tenant", tenant.code, "--fiscal-year", "2026",
        "--atena-no", str(_atena(tenant.code, "太郎")), stdout=shown,
    )  # fmt: skip
    [row] = json.loads(shown.getvalue())
    assert row["total"] == 194_500 and row["steps"][0]["id"] == "kyuyo_kojogo"


def test_only_those_living_here_on_1_january_are_taxed(tenant: Tenant, tmp_path: Path) -> None:
    """地方税法 第294条第1項・第318条: the 賦課期日 is 1 January; a death on 1 January, or a
    move-in after it, means no 個人住民税 here for the 年度."""
    from kyodo.linkage.dispatch import dispatch_once
    from kyodo.units.juki.services.shussei_shibou import shibou

    kyuyo, nenkin = _files(tmp_path)
    with tenant_scope(tenant.code):
        late = move_in(
            [member("高橋", "三郎", "タカハシ", "サブロウ", birth=dt.date(1985, 3, 3))],
            moved_on=dt.date(2026, 1, 2),
        ).records[0]
        shibou(
            atena_no=_atena(tenant.code, "ウメ"),
            died_on=dt.date(2026, 1, 1),
            notified_on=dt.date(2026, 1, 5),
        )
    dispatch_once()
    late_file = _write(
        tmp_path,
        "late.csv",
        [KYUYO_HEADER, "1003,新町工業,,高橋 三郎,1985-03-03,3000000,400000,,,,"],
    )
    with tenant_scope(tenant.code):
        for path, kind in ((kyuyo, "kyuyo"), (nenkin, "nenkin"), (late_file, "kyuyo")):
            assert import_file(path, kind=kind, fiscal_year=YEAR).imported
        run = toshokazei(YEAR)
        taxed = set(Kazei.objects.values_list("atena_no", flat=True))
    assert taxed == {_atena(tenant.code, "太郎"), _atena(tenant.code, "次郎")}
    reasons = {e["atena_no"]: e["reason"] for e in run.excluded}
    assert set(reasons) == {late.atena_no, _atena(tenant.code, "ウメ")}
    assert "転入" in reasons[late.atena_no] and "死亡" in reasons[_atena(tenant.code, "ウメ")]


def test_notices_print_in_postal_order_and_resume(tenant: Tenant, tmp_path: Path) -> None:
    from kyodo.units.zei_kojin.notice_batch import print_notices
    from tests.pdf import pdftotext, squash

    kyuyo, nenkin = _files(tmp_path)
    with tenant_scope(tenant.code):
        import_file(kyuyo, kind="kyuyo", fiscal_year=YEAR)
        import_file(nenkin, kind="nenkin", fiscal_year=YEAR)
        toshokazei(YEAR)
        out = tmp_path / "print"
        seen = []
        manifest = print_notices(YEAR, out, per_file=2, progress=lambda d, t: seen.append((d, t)))
    assert manifest["complete"] and [f["count"] for f in manifest["files"]] == [2, 1]
    assert seen == [(2, 3), (3, 3)]
    texts = [pdftotext((out / f["name"]).read_bytes(), tmp_path) for f in manifest["files"]]
    first = squash(texts[0])
    assert "納税通知書" in squash("".join(texts)) and "特別徴収税額の決定通知書" in squash(
        "".join(texts)
    )
    taro = next(t for t in map(squash, texts) if "山田太郎" in t)
    assert "194,500円" in taro and "6月分" in taro and "審査請求" in taro
    assert "佐藤ウメ" in squash("".join(texts)) and "年金（本徴収）" in squash("".join(texts))
    assert first.count("通知書番号") == 2
    # 次郎 lives at 〒930-0001, before the others' 〒939-0000: he is printed first.
    plan = json.loads((out / "plan.json").read_text())
    assert plan["files"][0]["atena_nos"][0] == _atena(tenant.code, "次郎")
    assert first.index("鈴木次郎") < first.index("山田太郎")
    with tenant_scope(tenant.code):
        issued = AuditRecord.objects.filter(object_type="zei_kojin.notices", action="issue")
        assert sorted(n for a in issued for n in a.detail["atena_nos"]) == sorted(
            Kazei.objects.values_list("atena_no", flat=True)
        )
        # A second run into the same folder must be a resume; a damaged file is printed again.
        with pytest.raises(ValidationFailed, match="--resume"):
            print_notices(YEAR, out, per_file=2)
        (out / "00002.pdf").write_bytes(b"damaged")
        before = (out / "00001.pdf").stat().st_mtime_ns
        again = print_notices(YEAR, out, resume=True)
        assert (out / "00001.pdf").stat().st_mtime_ns == before  # intact: not printed again
        assert (out / "00002.pdf").read_bytes().startswith(b"%PDF")
        assert [f["name"] for f in again["files"]] == ["00001.pdf", "00002.pdf"]


def test_each_employer_gets_its_employees_monthly_amounts(tenant: Tenant, tmp_path: Path) -> None:
    """地方税法 第321条の4 (決定通知書 to the 特別徴収義務者) and 第321条の5 (June first)."""
    from tests.pdf import pdftotext, squash

    kyuyo, _nenkin = _files(tmp_path)
    with tenant_scope(tenant.code):
        import_file(kyuyo, kind="kyuyo", fiscal_year=YEAR)
        toshokazei(YEAR)
    out = tmp_path / "employers.pdf"
    printed = io.StringIO()
    call_command(
        "zei_kojin", "employer-notices", "--tenant", tenant.code, "--fiscal-year", "2026",
        "--out", str(out), stdout=printed,
    )  # fmt: skip
    assert json.loads(printed.getvalue())["employers"] == 1  # 次郎's employer does not collect
    text = squash(pdftotext(out.read_bytes(), tmp_path))
    assert "特別徴収義務者用" in text and "株式会社射水製作所" in text and "山田太郎" in text
    assert "194,500" in text and "16,300" in text and "16,200" in text
    assert "鈴木次郎" not in text


def test_the_vectorised_batch_equals_the_scalar_assessment(
    make_tenant: Callable[..., Tenant], tmp_path: Path
) -> None:
    """The default (vectorised, COPY) batch stores what the scalar path computes: the same
    amounts, 徴収方法 and 期別 for varied taxpayers — salaried with families, pensioners of
    65+ (年金特別徴収), 普通徴収 switches, low incomes under the 非課税 limits."""
    import random

    from kyodo.units.zei_kojin.assessment import assess
    from kyodo.units.zei_kojin.parameters import municipality_for

    rng = random.Random(5)
    t = make_tenant()
    lines = [KYUYO_HEADER]
    pensions = [NENKIN_HEADER]
    with tenant_scope(t.code):
        for n in range(60):
            birth = dt.date(rng.randint(1940, 2004), rng.randint(1, 12), rng.randint(1, 28))
            given = f"試{n}"
            move_in([member("検算", given, "ケンサン", "タメシ", birth=birth)], moved_on=LIVED_HERE)
            spouse = f"{rng.randint(1950, 2000)}-05-05" if rng.random() < 0.4 else ""
            deps = ";".join(
                f"{rng.randint(2000, 2024)}-03-03:{rng.choice([0, 0, 500000])}"
                for _ in range(rng.randint(0, 3))
            )
            salary = rng.choice(
                [0, 900_000, 1_100_000, 2_040_000, 3_600_000, 6_600_000, 12_000_000]
            )
            if salary:
                reason = "退職" if rng.random() < 0.2 else ""
                lines.append(
                    f"10{n % 3},会社{n % 3},,検算 {given},{birth},{salary},{salary // 7},"
                    f"{spouse},{rng.choice([0, 300000, 900000]) if spouse else ''},{deps},{reason}"
                )
            if birth.year < 1962 or not salary:
                pension = rng.choice([800_000, 1_800_000, 3_300_000])
                pensions.append(f"0001,年金機構,,検算 {given},{birth},{pension},40000")
    kyuyo = _write(tmp_path, "many.csv", lines)
    nenkin = _write(tmp_path, "manyn.csv", pensions)
    with tenant_scope(t.code):
        assert not import_file(kyuyo, kind="kyuyo", fiscal_year=YEAR).problems
        assert not import_file(nenkin, kind="nenkin", fiscal_year=YEAR).problems
        toshokazei(YEAR, chunk=25)
        from kyodo.atena.models import Person

        births = dict(Person.objects.values_list("atena_no", "birth_date"))
        rows = list(Kazei.objects.all())
        assert len(rows) == 60
        from kyodo.linkage.models import Delivery, OutboxEvent

        events = {
            e.atena_no: e.payload
            for e in OutboxEvent.objects.filter(name="zei_kojin.assessed").order_by("id")
        }
        assert list(events) == sorted(events)  # numbered in 宛名番号 order
        assert len(events) == 60 and Delivery.objects.filter(event__atena_no__in=events).count()
        kinds = set()
        for row in rows:
            scalar = assess(
                fiscal_year=YEAR,
                birth_date=births[row.atena_no],
                materials=list(KazeiShiryo.objects.filter(atena_no=row.atena_no).order_by("id")),
                municipality=municipality_for(YEAR),
                futsu_noki=["06-30", "08-31", "10-31", "01-31"],
                previous_nenkin=None,
            )
            assert row.total == scalar.result["total"], row.atena_no
            assert row.city_shotokuwari == scalar.result["city"]["shotokuwari"]
            assert row.choshu == scalar.choshu
            assert row.installments == [i.as_json() for i in scalar.installments]
            # The hub event (built by PostgreSQL from the stored row) carries what the scalar
            # path would publish.
            assert events[row.atena_no] == {
                "atena_no": row.atena_no, "fiscal_year": YEAR, "notice_no": row.atena_no,
                "revision": 1, "total": scalar.result["total"], "choshu": scalar.choshu,
                "tokucho_payer_no": scalar.tokucho_payer_no,
                "installments": [i.as_json() for i in scalar.installments],
                "so_shotoku": next(
                    s["value"] for s in scalar.result["steps"] if s["id"] == "so_shotoku"
                ),
                "salary_income": scalar.calc_input["taxpayer"]["salary_income"],
                "pension_income": scalar.calc_input["taxpayer"]["pension_income"],
            }  # fmt: skip
            kinds.update(k for k, v in row.choshu.items() if v)
        assert kinds == {"kyuyo_tokucho", "futsu", "nenkin_tokucho"}  # every path exercised
        assert any(r.total == 0 for r in rows)  # someone is 非課税
