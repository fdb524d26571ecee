"""``kyodo shuno import-furikae``: 口座振替 result files (docs/formats/kouza-furikae.md).

A 振替済 row is a payment on its installment; a 振替不能 row is recorded with the bank's reason
and is not a payment; a damaged file changes nothing and every problem is named; loading the
same file again changes nothing.
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
from kyodo.units.shuno import furikae_file
from kyodo.units.shuno.furikae_file import Request, customer_no
from kyodo.units.shuno.models import FurikaeFile, FurikaeFuno, Kagono, Keshikomi, Shuno
from kyodo.units.shuno.services import ledger
from tests.shuno.ledger_helpers import assess, clerk, person

JUN, JUL = dt.date(2026, 6, 30), dt.date(2026, 7, 31)
ITAKU = "1234567890"


@pytest.fixture
def tenant(db: None, make_tenant: Callable[..., Tenant]) -> Tenant:
    return make_tenant()


@pytest.fixture
def three(tenant: Tenant) -> list:
    with clerk(tenant):
        a, b = person(), person()
        return [
            *assess(a, (12_300, JUN), (12_300, JUL)),
            *assess(b, (8_000, JUL), tax_kind="kokuho"),
        ]


def cust(c) -> str:
    return customer_no(c.tax_kind, c.fiscal_year, c.notice_no, c.kibetsu)


def counts() -> dict[str, int]:
    return {
        m.__name__: m.objects.count() for m in (Shuno, Keshikomi, Kagono, FurikaeFuno, FurikaeFile)
    }


def run(tenant: Tenant, path: Path, *extra: str) -> tuple[dict, str]:
    out, err = StringIO(), StringIO()
    call_command("shuno", "import-furikae", "--tenant", tenant.code, str(path), *extra,
                 stdout=out, stderr=err)  # fmt: skip
    return json.loads(out.getvalue()), err.getvalue()


def write(tmp_path: Path, content: bytes) -> Path:
    path = tmp_path / "furikae.txt"
    path.write_bytes(content)
    return path


def test_transferred_rows_pay_and_failed_rows_are_recorded_for_a_nofusho(
    tenant: Tenant, three: list, tmp_path: Path
) -> None:
    first, second, kokuho = three
    content = furikae_file.render(
        itakusha_code=ITAKU,
        transfer_on=JUN,
        rows=[
            Request(cust(first), 12_300, "0"),
            Request(cust(second), 12_300, "1"),  # 資金不足
            Request(cust(kokuho), 8_000, "3"),  # 預金者の都合
        ],
    )
    path = write(tmp_path, content)
    report, err = run(tenant, path)
    assert report["status"] == "loaded" and err == ""
    assert report["counts"] == {
        "applied": 1,
        "funo": 2,
        "held": 0,
        "already_loaded": 0,
        "rejected": 0,
    }
    with clerk(tenant):
        [shuno] = Shuno.objects.all()
        assert (shuno.channel, shuno.amount, shuno.paid_on) == ("bank_transfer", 12_300, JUN)
        assert ledger.owed(first) == (12_300, 12_300)
        assert ledger.owed(second) == (12_300, 0)  # not a payment
        funo = {f.chotei_id: f for f in FurikaeFuno.objects.all()}
        assert {k: (f.result_code, f.get_result_code_display()) for k, f in funo.items()} == {
            second.pk: ("1", "資金不足"),
            kokuho.pk: ("3", "預金者の都合による振替停止"),
        }
        assert AuditRecord.objects.filter(object_type="shuno.furikae_file").exists()
        before = counts()
    # The same file again: nothing new.
    again, _ = run(tenant, path)
    assert again["status"] == "nothing_new" and again["counts"]["already_loaded"] == 3
    with clerk(tenant):
        assert counts() == before


def test_unknown_and_duplicate_rows_are_held_or_reported(
    tenant: Tenant, three: list, tmp_path: Path
) -> None:
    first, _second, _kokuho = three
    unknown = customer_no("juminzei_futsu", 2026, 999_999, 1)
    content = furikae_file.render(
        itakusha_code=ITAKU,
        transfer_on=JUN,
        rows=[
            Request(cust(first), 12_300, "0"),
            Request(cust(first), 12_300, "0"),  # the same 顧客番号 again
            Request(unknown, 5_000, "0"),
            Request(unknown, 5_000, "2"),
        ],
    )
    report, err = run(tenant, write(tmp_path, content))
    assert report["counts"]["applied"] == 1 and report["counts"]["held"] == 2
    lines = err.splitlines()
    assert lines[0].endswith("→ 保留（未消込の収納として記録）") and "line 3" in lines[0]
    assert "重複" in lines[0]
    assert "通知書番号 999999 第1期 の調定がありません" in lines[1]
    assert "line 5" in lines[2] and lines[2].endswith("→ 記録なし（入金なし）")
    with clerk(tenant):
        held = Shuno.objects.exclude(held_reason="")
        assert sorted(s.held_reason for s in held) == ["duplicate_in_file", "unknown_notice"]
        assert FurikaeFuno.objects.count() == 0
        assert ledger.owed(first) == (12_300, 12_300)


def test_a_damaged_file_is_rejected_row_by_row_and_nothing_is_written(
    tenant: Tenant, three: list, tmp_path: Path
) -> None:
    first, second, _ = three
    lines = furikae_file.render(
        itakusha_code=ITAKU,
        transfer_on=JUN,
        rows=[Request(cust(first), 12_300, "0"), Request(cust(second), 12_300, "0")],
    ).split(b"\r\n")
    lines[1] = lines[1][:77] + b"7" + lines[1][78:]  # 振替結果コード 7 does not exist
    lines[2] = lines[2][:46] + b"00000x2300" + lines[2][56:]  # 引落金額 not digits
    path = write(tmp_path, b"\r\n".join(lines))
    with clerk(tenant):
        before = counts()
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError, match="形式の誤りが 2 行"):
        call_command("shuno", "import-furikae", "--tenant", tenant.code, str(path),
                     stdout=out, stderr=err)  # fmt: skip
    problems = err.getvalue().splitlines()
    assert any("line 2" in p and "振替結果コード" in p and "78-78桁目" in p for p in problems)
    assert any("line 3" in p and "引落金額" in p and "47-56桁目" in p for p in problems)
    with clerk(tenant):
        assert counts() == before


def test_a_dry_run_reports_and_writes_nothing(tenant: Tenant, three: list, tmp_path: Path) -> None:
    first, *_ = three
    content = furikae_file.render(
        itakusha_code=ITAKU, transfer_on=JUN, rows=[Request(cust(first), 12_300, "0")]
    )
    report, _ = run(tenant, write(tmp_path, content), "--dry-run")
    assert report["status"] == "dry_run" and report["counts"]["applied"] == 1
    with clerk(tenant):
        assert Shuno.objects.count() == 0 and FurikaeFile.objects.count() == 0
