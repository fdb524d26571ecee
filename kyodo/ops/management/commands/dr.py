"""``kyodo dr``: the down-recovery (ダウンリカバリ) certificate mode (issue 7 §3).

    kyodo dr build --tenant CODE --out FILE      write the file, or refresh it (only what
                                                 changed since) if it exists
    kyodo dr serve FILE [--port 8765] [--clerk NAME]    a read-only counter on a laptop
    kyodo dr certificate --from FILE --atena-no N --out CERT.pdf --requester R --purpose P
                         [--household] [--with zokugara,honseki] [--clerk NAME]
    kyodo dr merge FILE                          issues from the file into the audit trail

``serve`` and ``certificate`` need no Kyodo server and no PostgreSQL: the file is enough.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from kyodo.platform.management.commands._base import KyodoCommand


class Command(KyodoCommand):
    help = "Down-recovery certificates: build the file, serve it, issue from it, merge back."
    requires_system_checks: list[str] = []  # serve and certificate run with the database down

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=("build", "serve", "certificate", "merge"))
        parser.add_argument("file", nargs="?", help="the down-recovery file (serve, merge)")
        parser.add_argument("--tenant", help="build: 団体コード")
        parser.add_argument("--out", help="build: the file; certificate: the PDF")
        parser.add_argument("--from", dest="source", help="certificate: the file")
        parser.add_argument("--atena-no", type=int)
        parser.add_argument("--household", action="store_true", help="世帯全員")
        parser.add_argument("--with", dest="with_items", default="", help="zokugara,honseki")
        parser.add_argument("--requester", default="")
        parser.add_argument("--purpose", default="")
        parser.add_argument("--clerk", default="窓口")
        parser.add_argument("--port", type=int, default=8765)
        parser.add_argument("--host", default="127.0.0.1")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "build":
            self._build(options)
        elif action == "merge":
            from kyodo.ops.dr.merge import merge

            self.stdout.write(json.dumps(merge(self._file(options["file"])), ensure_ascii=False))
        elif action == "certificate":
            self._certificate(options)
        else:
            self._serve(options)

    @staticmethod
    def _file(value: str | None) -> Path:
        if not value:
            raise CommandError("ダウンリカバリ用ファイルを指定してください")
        path = Path(value)
        if not path.is_file():
            raise CommandError(f"ダウンリカバリ用ファイルがありません: {path}")
        return path

    def _build(self, options: dict[str, Any]) -> None:
        from kyodo.ops.dr.build import build
        from kyodo.platform.tenancy.context import Actor, tenant_session

        if not options["tenant"] or not options["out"]:
            raise CommandError("--tenant と --out を指定してください")
        with tenant_session(options["tenant"], actor=Actor(username="cli")):
            summary = build(options["tenant"], Path(options["out"]), progress=self.stderr.write)
        self.stdout.write(json.dumps(summary, ensure_ascii=False))

    def _certificate(self, options: dict[str, Any]) -> None:
        from kyodo.ops.dr.counter import Counter, DrError

        if options["atena_no"] is None or not options["out"]:
            raise CommandError("--atena-no と --out を指定してください")
        try:
            counter = Counter(self._file(options["source"]))
            issued = counter.issue(
                options["atena_no"],
                requester=options["requester"],
                purpose=options["purpose"],
                clerk=options["clerk"],
                household=options["household"],
                with_items=[i for i in options["with_items"].split(",") if i],
            )
        except DrError as exc:
            raise CommandError(str(exc)) from exc
        Path(options["out"]).write_bytes(issued.pdf)
        out = {"issue_no": issued.issue_no, "atena_nos": issued.atena_nos,
               "data_as_of": counter.meta["data_as_of"], "notice": counter.freshness()}  # fmt: skip
        self.stdout.write(json.dumps(out, ensure_ascii=False))

    def _serve(self, options: dict[str, Any]) -> None:
        from wsgiref.simple_server import make_server

        from kyodo.ops.dr.counter import Counter
        from kyodo.ops.dr.web import application

        counter = Counter(self._file(options["file"]))
        with make_server(
            options["host"], options["port"], application(counter, options["clerk"])
        ) as server:
            self.stderr.write(
                f"ダウンリカバリ窓口: http://{options['host']}:{server.server_port}/ "
                f"（{counter.freshness()}）"
            )
            sys.stderr.flush()
            server.serve_forever()
