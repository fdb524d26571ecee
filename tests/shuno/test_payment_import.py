"""``kyodo shuno import-payments``: コンビニ 速報・確報 files, checked whole, loaded at once.

A damaged file (rejected rows) changes nothing and every problem is named; rows that are well
formed but cannot be matched are kept as held payments (no money lost); re-imports and a 確報
after its 速報 never count a payment twice.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kyodo.platform.models import AuditRecord, Tenant
from kyodo.units.shuno.barcode import build
from kyodo.units.shuno.models import (
    HoldReason,
    Kagono,
    Keshikomi,
    PaymentFile,
    Shuno,
    ShunoKakuho,
)
from kyodo.units.shuno.services import ledger
from kyodo.units.shuno.services.keshikomi import NoticeKey, PaymentInput, shuno_record
from kyodo.units.shuno.services.payment_import import import_payments
from tests.shuno.ledger_helpers import COMPANY, assess, clerk, paid, person, result_file, slip

JUN, JUL = dt.date(2026, 6, 30), dt.date(2026, 7, 31)
PAID = dt.date(2026, 7, 28)


@pytest.fixture
def tenant(db: None, make_tenant: Callable[..., Tenant]) -> Tenant:
    return make_tenant()


@pytest.fixture
def three(tenant: Tenant) -> list:
    """Three installments of two people (住民税 第1期・第2期, 国保税 第1期)."""
    with clerk(tenant):
        a, b = person(), person()
        return [
            *assess(a, (12_300, JUN), (12_300, JUL)),
            *assess(b, (8_000, JUL), tax_kind="kokuho"),
        ]


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Shuno, Keshikomi, Kagono, ShunoKakuho, PaymentFile)
    }


def run(tenant: Tenant, path: Path, *extra: str) -> tuple[dict, str]:
    out, err = StringIO(), StringIO()
    call_command(
        "shuno",
        "import-payments",
        "--tenant",
        tenant.code,
        str(path),
        *extra,
        stdout=out,
        stderr=err,
    )
    return json.loads(out.getvalue()), err.getvalue()


def write(tmp_path: Path, content: bytes, name: str = "konbini.txt") -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


def test_a_good_file_is_applied(tenant: Tenant, three: list, tmp_path: Path) -> None:
    first, second, kokuho = three
    with clerk(tenant):  # 第2期 already part-paid at the counter: the slip overpays it
        shuno_record(
            PaymentInput(
                key="R-1",
                channel="counter",
                amount=2_300,
                paid_on=dt.date(2026, 7, 1),
                chotei=NoticeKey(second.tax_kind, second.fiscal_year, second.notice_no, 2),
            )
        )
    code = tenant.code
    path = write(
        tmp_path,
        result_file(
            [
                paid(slip(first, tenant_code=code), PAID, receipt=11),
                paid(slip(second, tenant_code=code), PAID, receipt=12),
                paid(slip(kokuho, tenant_code=code), PAID, receipt=13),
            ]
        ),
    )
    report, err = run(tenant, path)
    assert err == ""
    assert report["status"] == "loaded"
    assert report["counts"] == {
        "applied": 3,
        "held": 0,
        "confirmed": 0,
        "already_loaded": 0,
        "rejected": 0,
    }
    assert report["amounts"] == {"applied": 32_600, "held": 0, "kagono": 2_300}
    with clerk(tenant):
        assert [ledger.owed(c) for c in three] == [
            (12_300, 12_300),
            (12_300, 12_300),
            (8_000, 8_000),
        ]
        row = Shuno.objects.get(key=f"konbini:{COMPANY}:{'12'.rjust(20, '0')}")
        assert (row.channel, row.report, row.source, row.source_line, row.paid_on) == (
            "konbini",
            "sokuho",
            "konbini.txt",
            3,
            PAID,
        )
        assert (row.atena_no, row.held_reason) == (second.atena_no, "")
        assert [(k.chotei_id, k.amount) for k in row.keshikomi.all()] == [(second.pk, 10_000)]
        [kagono] = Kagono.objects.all()
        assert (kagono.shuno_id, kagono.amount) == (row.pk, 2_300)
        assert AuditRecord.objects.filter(object_type="shuno.payment_file").exists()


def damaged(good: bytes) -> bytes:
    """``good`` (header, 5 data records, trailer, end) with one kind of damage per record."""
    lines = good.split(b"\r\n")[:-1]
    rec = [line.decode("ascii") for line in lines]

    def put(line: int, column: int, text: str) -> None:
        r = rec[line - 1]
        rec[line - 1] = r[: column - 1] + text + r[column - 1 + len(text) :]

    put(2, 86, "01230X")  # 収納金額 not digits
    put(3, 85, str((int(rec[2][84]) + 1) % 10))  # the barcode's check digit
    put(4, 22, "20260231")  # 収納日 that does not exist
    put(5, 92, "20260801")  # 払込予定日 in a 速報
    put(6, 86, "000000")  # 0 yen
    put(7, 2, "0000099")  # trailer count
    encoded = [r.encode("ascii") for r in rec]
    encoded.insert(5, "２".encode() + encoded[5][3:])  # a full-width character, 120 bytes
    encoded.insert(6, encoded[6][:100])  # a short record
    return b"\r\n".join(encoded) + b"\r\n"


def test_a_damaged_file_is_rejected_with_every_problem_named(
    tenant: Tenant, three: list, tmp_path: Path
) -> None:
    first, second, kokuho = three
    code = tenant.code
    good = result_file(
        [
            paid(slip(first, tenant_code=code), PAID),
            paid(slip(second, tenant_code=code), PAID),
            paid(slip(kokuho, tenant_code=code), PAID),
            paid(slip(first, tenant_code=code), PAID),
            paid(slip(second, tenant_code=code), PAID),
        ]
    )
    path = write(tmp_path, damaged(good), "broken.txt")
    with clerk(tenant):
        before = counts()
    with pytest.raises(CommandError, match=r"broken\.txt: 形式の誤りが 8 行にある"):
        run(tenant, path)
    # Run again in-process for the report itself (the command printed it before failing).
    with clerk(tenant):
        report = import_payments(path.read_bytes(), name="broken.txt")
        assert counts() == before  # nothing written
    assert report.status == "rejected" and not report.written
    found = {(i.line, i.field, i.disposition) for i in report.issues}
    assert found == {
        (2, "amount", "rejected"),
        (3, "barcode", "rejected"),
        (4, "paid_on", "rejected"),
        (5, "transfer_on", "rejected"),
        (6, "record", "rejected"),  # the full-width character
        (7, "record", "rejected"),  # 100 characters
        (8, "amount", "rejected"),
        (9, "count", "rejected"),
    }
    by_line = {i.line: i for i in report.issues}
    assert "チェックデジット" in by_line[3].reason
    assert "ASCII 以外のバイトがあります（1バイト目 0xEF）" in by_line[6].reason
    assert by_line[7].reason == "レコード長は120文字です (got 100文字)"
    assert by_line[2].text("broken.txt", recorded=False) == (
        "broken.txt, line 2, field 'amount' (収納金額 86-91桁目): 6桁の半角数字です (got '01230X')"
    )
    assert by_line[9].reason == "データ件数 99 件が実際のデータレコード 5 件と違います"


def test_the_cli_prints_the_json_report_and_each_problem_in_japanese(
    tenant: Tenant, three: list, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = three[0]
    content = result_file([paid(slip(first, tenant_code=tenant.code), PAID)])
    path = write(tmp_path, content.replace(b"\r\n8", b"\r\n2" + b"9" * 5 + b"\r\n8", 1), "x.txt")
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError):
        call_command(
            "shuno", "import-payments", "--tenant", tenant.code, str(path), stdout=out, stderr=err
        )
    report = json.loads(out.getvalue())
    assert report["status"] == "rejected"
    assert report["issues"][0] == {
        "file": "x.txt",
        "line": 3,
        "field": "record",
        "label": "レコード",
        "columns": "1-120",
        "code": "format",
        "disposition": "rejected",
        "reason": "レコード長は120文字です (got 6文字)",
    }
    assert (
        f"{path}, line 3, field 'record' (レコード 1-120桁目): レコード長は120文字です"
        in err.getvalue()
    )


def test_unmatched_rows_are_held_never_dropped(
    tenant: Tenant, three: list, tmp_path: Path, make_tenant: Callable[..., Tenant]
) -> None:
    first, second, kokuho = three
    other = make_tenant(name="隣町")
    with clerk(other):
        [theirs] = assess(person(), (5_000, JUL), notice_no=first.notice_no + 50_000)
    code = tenant.code
    foreign_company = build(
        company_code="954321", free="1", reissue=0, due_date=None, stamp=0, amount=700
    )
    not_ours = build(company_code=COMPANY, free="7", reissue=0, due_date=None, stamp=0, amount=900)
    rows = [
        paid(slip(first, tenant_code=code), PAID, receipt=1),  # line 2: applied
        paid(slip(second, tenant_code=code), PAID, receipt=1),  # line 3: duplicate 受付番号
        paid(slip(kokuho, tenant_code=code), PAID, receipt=3, amount=7_000),  # amount mismatch
        paid(slip(theirs, tenant_code=other.code), PAID, receipt=4),  # another municipality's
        paid(slip(theirs, tenant_code=code), PAID, receipt=5),  # its 通知書番号 is unknown here
        paid(foreign_company, PAID, receipt=6),  # another company code
        paid(not_ours, PAID, receipt=7),  # free field not in Kyodo's layout
    ]
    path = write(tmp_path, result_file(rows))
    report, err = run(tenant, path)
    assert report["status"] == "loaded"
    assert report["counts"]["applied"] == 1 and report["counts"]["held"] == 6
    assert report["amounts"]["held"] == 12_300 + 7_000 + 5_000 + 5_000 + 700 + 900
    assert [(i["line"], i["field"], i["code"], i["disposition"]) for i in report["issues"]] == [
        (3, "receipt_no", "duplicate_in_file", "held"),
        (4, "amount", "amount_mismatch", "held"),
        (5, "barcode", "other_tenant", "held"),
        (6, "barcode", "unknown_notice", "held"),
        (7, "barcode", "company_mismatch", "held"),
        (8, "barcode", "unknown_notice", "held"),
    ]
    assert len(err.splitlines()) == 6
    assert "line 3, field 'receipt_no' (受付番号 2-21桁目): 受付番号 " in err
    assert err.splitlines()[0].endswith(
        "が 2 行目と重複しています → 保留（未消込の収納として記録）"
    )
    with clerk(tenant):
        held = {s.source_line: s for s in Shuno.objects.exclude(held_reason="")}
        assert sorted(held) == [3, 4, 5, 6, 7, 8]
        assert held[4].held_reason == HoldReason.AMOUNT_MISMATCH
        # The person is known from the slip, so the clerk sees whose it is; not applied.
        assert (held[4].amount, held[4].atena_no) == (7_000, kokuho.atena_no)
        assert held[3].key.endswith("#dup2")
        assert ledger.owed(kokuho) == (8_000, 0) and ledger.owed(second) == (12_300, 0)
        assert not Keshikomi.objects.filter(shuno__in=held.values()).exists()
    with clerk(other):  # the other municipality's ledger is untouched
        assert ledger.owed(theirs) == (5_000, 0)
        assert not Shuno.objects.exists()


def test_reimporting_the_same_file_counts_nothing_twice(
    tenant: Tenant, three: list, tmp_path: Path
) -> None:
    first, _, kokuho = three
    code = tenant.code
    rows = [
        paid(slip(first, tenant_code=code), PAID, receipt=1),
        paid(slip(kokuho, tenant_code=code), PAID, receipt=2, amount=1),  # held
    ]
    path = write(tmp_path, result_file(rows))
    run(tenant, path)
    with clerk(tenant):
        after_first = counts()
    report, err = run(tenant, path)
    assert report["status"] == "nothing_new"
    assert report["counts"]["already_loaded"] == 2
    assert report["counts"]["applied"] == report["counts"]["held"] == 0
    assert err == ""
    with clerk(tenant):
        assert counts() == after_first
        assert ledger.owed(first) == (12_300, 12_300)


def test_a_kakuho_confirms_its_sokuho(tenant: Tenant, three: list, tmp_path: Path) -> None:
    first, second, kokuho = three
    code = tenant.code
    sokuho = [
        paid(slip(first, tenant_code=code), PAID, receipt=1),
        paid(slip(second, tenant_code=code), PAID, receipt=2),
    ]
    run(tenant, write(tmp_path, result_file(sokuho), "sokuho.txt"))
    kakuho = [
        *sokuho,
        paid(slip(kokuho, tenant_code=code), PAID, receipt=3),  # only in the 確報
    ]
    path = write(tmp_path, result_file(kakuho, report="kakuho"), "kakuho.txt")
    report, _ = run(tenant, path)
    assert report["report"] == "kakuho"
    assert (report["counts"]["confirmed"], report["counts"]["applied"]) == (2, 1)
    with clerk(tenant):
        assert [ledger.owed(c)[1] for c in three] == [12_300, 12_300, 8_000]  # not doubled
        assert Keshikomi.objects.count() == 3
        confirmed = {k.shuno.source_line for k in ShunoKakuho.objects.select_related("shuno")}
        assert confirmed == {2, 3}  # the 速報's lines
        assert Shuno.objects.get(keshikomi__chotei=kokuho).report == "kakuho"
    again, _ = run(tenant, path)
    assert (again["status"], again["counts"]["already_loaded"]) == ("nothing_new", 3)
    # A 速報 that comes after its 確報 adds nothing either.
    late, _ = run(tenant, write(tmp_path, result_file(sokuho), "sokuho-again.txt"))
    assert late["counts"]["already_loaded"] == 2


def test_a_kakuho_that_differs_from_its_sokuho_is_held(
    tenant: Tenant, three: list, tmp_path: Path
) -> None:
    first = three[0]
    code = tenant.code
    run(
        tenant, write(tmp_path, result_file([paid(slip(first, tenant_code=code), PAID, receipt=1)]))
    )
    changed = [paid(slip(first, tenant_code=code), PAID - dt.timedelta(days=1), receipt=1)]
    report, _ = run(tenant, write(tmp_path, result_file(changed, report="kakuho"), "k.txt"))
    assert [(i["code"], i["line"]) for i in report["issues"]] == [("key_conflict", 2)]
    with clerk(tenant):
        assert ledger.owed(first) == (12_300, 12_300)  # counted once
        assert Shuno.objects.get(key__endswith="#kakuho").held_reason == "key_conflict"
        assert not ShunoKakuho.objects.exists()


def test_a_dry_run_reports_the_same_and_writes_nothing(
    tenant: Tenant, three: list, tmp_path: Path
) -> None:
    first, second, kokuho = three
    code = tenant.code
    rows = [
        paid(slip(first, tenant_code=code), PAID, receipt=1),
        paid(slip(second, tenant_code=code), PAID, receipt=2),
        paid(slip(kokuho, tenant_code=code), PAID, receipt=3, amount=100),
    ]
    path = write(tmp_path, result_file(rows))
    with clerk(tenant):
        before = counts()
    dry, err = run(tenant, path, "--dry-run")
    assert dry["status"] == "dry_run"
    assert err.endswith("と違います → 保留の対象（未登録）\n")
    with clerk(tenant):
        assert counts() == before
        assert [ledger.owed(c)[1] for c in three] == [0, 0, 0]
    real, _ = run(tenant, path)
    assert {k: v for k, v in dry.items() if k not in ("status", "dry_run")} == {
        k: v for k, v in real.items() if k not in ("status", "dry_run")
    }


def test_a_missing_file_and_an_unknown_tenant_are_named(tenant: Tenant, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match=r"nothing\.txt: ファイルがありません"):
        run(tenant, tmp_path / "nothing.txt")
    path = write(tmp_path, b"")
    with pytest.raises(CommandError, match="--tenant: 団体 999999 は登録されていません"):
        call_command("shuno", "import-payments", "--tenant", "999999", str(path))
    with pytest.raises(CommandError, match="形式の誤りが 1 行"):
        run(tenant, path)  # an empty file
