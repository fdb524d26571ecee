"""``kyodo shuno chotei-import | balance | tokusoku``.

chotei-import --tenant CODE --json FILE
    Creates the 調定 in FILE (shape in ``kyodo/units/shuno/chotei_json.py``), all or none;
    notices that already exist exactly as given are left alone. Prints
    ``{"created": N, "unchanged": M}``.
balance --tenant CODE --atena-no N [--as-of DATE] [--json]
    One person's 調定額, 収納額 and 未納額 per installment, per 税目 and in total.
entaikin --tenant CODE --atena-no N --on DATE
    The 延滞金 of each of the person's installments unpaid or paid late as of DATE: the
    calculator's input and result (kyodo/units/shuno/services/entaikin.py), and the total.
tokusoku --tenant CODE --on DATE [--wait-days N]
    The 督促 batch (kyodo/units/shuno/services/tokusoku.py). Prints the 督促 issued.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, TextIO

from kyodo.atena import blocks
from kyodo.atena.models import BlockOperation
from kyodo.units.shuno.chotei_json import read_chotei_json
from kyodo.units.shuno.cli.common import (
    CLI_PURPOSE,
    cli_scope,
    date_option,
    number_option,
    read_json,
)
from kyodo.units.shuno.models import Chotei
from kyodo.units.shuno.selectors import balance, entaikin
from kyodo.units.shuno.services.chotei import chotei_create_many
from kyodo.units.shuno.services.tokusoku import tokusoku_batch


def chotei_import(options: dict[str, Any], out: TextIO) -> None:
    path = Path(options["file"])
    data = read_json(path)
    with cli_scope(options["tenant"]):
        requests = read_chotei_json(data, source=str(path))
        result = chotei_create_many(requests, source=str(path))
    out.write(json.dumps({"created": len(result.created), "unchanged": result.unchanged}))


def show_balance(options: dict[str, Any], out: TextIO) -> None:
    atena_no = number_option(options["atena_no"], "--atena-no", "宛名番号")
    as_of = date_option(options["as_of"], "--as-of") if options.get("as_of") else None
    with cli_scope(options["tenant"]):
        # 支援措置・抑止: the command line holds no 支援措置 role, as for every 照会.
        blocks.check(atena_no, BlockOperation.SHOKAI, may_see_protected=False)
        result = balance(atena_no=atena_no, as_of=as_of, purpose=CLI_PURPOSE)
    if options["as_json"]:
        out.write(json.dumps(result, ensure_ascii=False))
        return
    for row in result["installments"]:
        out.write(
            f"{row['tax_kind_label']}\t{row['fiscal_year']}年度\t{row['notice_no']}\t"
            f"第{row['kibetsu']}期\t{row['due_date']}\t調定 {row['chotei']:,}\t"
            f"収納 {row['shuno']:,}\t未納 {row['minou']:,}"
            + (f"\t延滞金 {row['entaikin']:,}" if row["entaikin"] else "")
            + "\n"
        )
    total = result["total"]
    out.write(
        f"合計\t調定 {total['chotei']:,}\t収納 {total['shuno']:,}\t未納 {total['minou']:,}\t"
        f"過誤納 {result['kagono']['open']:,}\n"
    )


def show_entaikin(options: dict[str, Any], out: TextIO) -> None:
    atena_no = number_option(options["atena_no"], "--atena-no", "宛名番号")
    on = date_option(options["on"], "--on")
    with cli_scope(options["tenant"]):
        blocks.check(atena_no, BlockOperation.SHOKAI, may_see_protected=False)
        result = entaikin(atena_no=atena_no, on=on, purpose=CLI_PURPOSE)
    out.write(json.dumps(result, ensure_ascii=False))


def tokusoku(options: dict[str, Any], out: TextIO) -> None:
    on = date_option(options["on"], "--on")
    wait = number_option(options["wait_days"], "--wait-days", "待機日数")
    with cli_scope(options["tenant"]):
        issued = tokusoku_batch(on=on, wait_days=wait)
        chotei = Chotei.objects.in_bulk([t.chotei_id for t in issued])
    out.write(
        json.dumps(
            {
                "on": on.isoformat(),
                "issued": len(issued),
                "late": sum(t.late for t in issued),
                "tokusoku": [
                    {
                        "atena_no": chotei[t.chotei_id].atena_no,
                        "tax_kind": chotei[t.chotei_id].tax_kind,
                        "fiscal_year": chotei[t.chotei_id].fiscal_year,
                        "notice_no": chotei[t.chotei_id].notice_no,
                        "kibetsu": chotei[t.chotei_id].kibetsu,
                        "due_date": chotei[t.chotei_id].due_date.isoformat(),
                        "minou": t.minou,
                        "days_after_due": t.days_after_due,
                        "late": t.late,
                    }
                    for t in issued
                ],
            },
            ensure_ascii=False,
        )
    )
