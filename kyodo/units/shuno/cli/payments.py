"""``kyodo shuno import-payments --tenant CODE FILE [--dry-run]``.

Checks every row of a コンビニ payment-result file (layout: docs/formats/konbini-result.md),
then loads it in one transaction (services/payment_import.py says what happens to each kind
of bad row). Prints the machine-readable report (JSON) on stdout, and every bad row in
Japanese on stderr — ``FILE, line N, field 'x' (label columns桁目): reason``. Exits 1 when the
file is rejected (nothing written); held rows are recorded unmatched and exit 0.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, TextIO

from kyodo.platform.errors import ValidationFailed
from kyodo.units.shuno.cli.common import cli_scope, read_bytes
from kyodo.units.shuno.services.furikae_import import import_furikae
from kyodo.units.shuno.services.payment_import import import_payments


def import_file(options: dict[str, Any], out: TextIO, err: TextIO) -> None:
    path = Path(options["file"])
    content = read_bytes(path)
    with cli_scope(options["tenant"]):
        report = import_payments(content, name=path.name, dry_run=options["dry_run"])
    out.write(json.dumps(report.as_json(), ensure_ascii=False))
    for issue in report.issues:
        err.write(issue.text(str(path), recorded=report.written) + "\n")
    if report.rejected:
        rejected = report.as_json()["counts"]["rejected"]
        raise ValidationFailed(
            f"形式の誤りが {rejected} 行にあるため、ファイル全体を取り込みませんでした"
            "（何も登録していません）",
            source=str(path),
        )


def import_furikae_file(options: dict[str, Any], out: TextIO, err: TextIO) -> None:
    """``kyodo shuno import-furikae --tenant CODE FILE [--dry-run]``: a 口座振替 result file
    (docs/formats/kouza-furikae.md; services/furikae_import.py), reported as above."""
    path = Path(options["file"])
    content = read_bytes(path)
    with cli_scope(options["tenant"]):
        report = import_furikae(content, name=path.name, dry_run=options["dry_run"])
    out.write(json.dumps(report.as_json(), ensure_ascii=False))
    for issue in report.issues:
        err.write(issue.text(str(path), recorded=report.written) + "\n")
    if report.rejected:
        rejected = report.as_json()["counts"]["rejected"]
        raise ValidationFailed(
            f"形式の誤りが {rejected} 行にあるため、ファイル全体を取り込みませんでした"
            "（何も登録していません）",
            source=str(path),
        )
