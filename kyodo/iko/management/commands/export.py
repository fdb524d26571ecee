"""``kyodo export --tenant CODE --out DIR``: a whole municipality in the standard layouts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from kyodo.iko.export import ENCODINGS, export_tenant
from kyodo.platform.management.commands._base import KyodoCommand
from kyodo.platform.tenancy.context import Actor, tenant_session

PURPOSE = "データ移行（標準レイアウトへの出力）"


class Command(KyodoCommand):
    help = "Export every piece of one municipality's data as standard-layout CSV + manifest."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--tenant", required=True, help="団体コード")
        parser.add_argument("--out", required=True, help="a new or empty folder")
        parser.add_argument("--encoding", default="utf-8", choices=ENCODINGS)
        parser.add_argument("--with-audit", action="store_true", help="the audit trail too")

    def handle(self, *args: Any, **options: Any) -> None:
        def show(file: str, rows: int) -> None:
            self.stderr.write(f"出力 {file}: {rows:,} 件")

        with tenant_session(options["tenant"], actor=Actor(username="cli"), purpose=PURPOSE):
            manifest = export_tenant(
                options["tenant"],
                Path(options["out"]),
                encoding=options["encoding"],
                with_audit=options["with_audit"],
                progress=show,
            )
        for lossy in manifest.get("lossy", []):
            self.stderr.write(
                f"{lossy['file']}, line {lossy['line']}, field '{lossy['item']}': "
                f"{lossy['character']}（{lossy['codepoints']}）は {options['encoding']} で"
                "表せないため 〓 に置き換えました"
            )
        summary = {
            "files": len(manifest["files"]),
            "rows": sum(f["rows"] for f in manifest["files"]),
            "lossy": len(manifest.get("lossy", [])),
        }
        self.stdout.write(json.dumps(summary, ensure_ascii=False))
