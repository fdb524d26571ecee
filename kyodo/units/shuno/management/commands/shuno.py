"""``kyodo shuno …``: 収滞納 from the command line.

barcode  --json FILE [--out SLIP.pdf] [--limit YEN]
    Prints ``{"data": "<44 digits>"}``, the GS1-128 標準料金代理収納 data for the request in
    FILE (shape in ``kyodo/units/shuno/request.py``); with ``--out`` it also writes the 納付書
    PDF. ``--limit`` is the collector's per-payment cap (default 300,000 yen): no barcode is
    made above it. Reads no database.
chotei-import    --tenant CODE --json FILE                    (kyodo/units/shuno/cli/ledger.py)
balance          --tenant CODE --atena-no N [--as-of DATE] [--json]
entaikin         --tenant CODE --atena-no N --on DATE
tokusoku         --tenant CODE --on DATE [--wait-days N]
import-payments  --tenant CODE FILE [--dry-run]               (kyodo/units/shuno/cli/payments.py)
import-furikae   --tenant CODE FILE [--dry-run]               (kyodo/units/shuno/cli/payments.py)

Bad input exits 1 with a message naming the file, the field and the reason, and writes
nothing. The PDF is written to a temporary file in the same folder and renamed into place, so
``--out`` is either the whole slip or untouched. Like any temporary file it is created
readable by its owner only (a slip carries the payer's numbers).
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from kyodo.platform.errors import ValidationFailed
from kyodo.platform.management.commands._base import KyodoCommand
from kyodo.printing.fonts import FontNotInstalledError
from kyodo.units.shuno.barcode import DEFAULT_LIMIT, build
from kyodo.units.shuno.cli import ledger, payments
from kyodo.units.shuno.errors import InvalidInput
from kyodo.units.shuno.request import parse_request
from kyodo.units.shuno.slip import Slip, render


class Command(KyodoCommand):
    help = "収滞納: 調定, payments and their import, balances, 督促, and the コンビニ barcode."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        barcode = sub.add_parser("barcode", help="44-digit コンビニ収納 barcode data (and slip)")
        barcode.add_argument("--json", required=True, dest="file", help="request JSON file")
        barcode.add_argument("--out", help="write the 納付書 PDF here")
        barcode.add_argument(
            "--limit",
            default=str(DEFAULT_LIMIT),
            help=f"the collector's limit per payment in yen (default {DEFAULT_LIMIT})",
        )
        chotei = sub.add_parser("chotei-import", help="create 調定 from a JSON list")
        chotei.add_argument("--json", required=True, dest="file", help="調定 JSON file")
        show = sub.add_parser("balance", help="one person's balance across every tax (名寄せ)")
        show.add_argument("--atena-no", required=True)
        show.add_argument("--as-of", help="the date of the balance (default: today)")
        show.add_argument("--json", action="store_true", dest="as_json")
        late = sub.add_parser("entaikin", help="延滞金 of one person's late installments")
        late.add_argument("--atena-no", required=True)
        late.add_argument("--on", required=True, help="compute up to this date YYYY-MM-DD")
        batch = sub.add_parser("tokusoku", help="issue 督促 for installments unpaid after 納期限")
        batch.add_argument("--on", required=True, help="the batch date YYYY-MM-DD")
        batch.add_argument(
            "--wait-days", default="0", help="days after the 納期限 to wait first (0–19)"
        )
        payments = sub.add_parser("import-payments", help="import a コンビニ 速報/確報 file")
        payments.add_argument("file", help="the payment-result file")
        payments.add_argument(
            "--dry-run", action="store_true", help="check and report only; write nothing"
        )
        furikae = sub.add_parser("import-furikae", help="import a 口座振替 result file")
        furikae.add_argument("file", help="the 口座振替 result file")
        furikae.add_argument(
            "--dry-run", action="store_true", help="check and report only; write nothing"
        )
        for p in (chotei, show, late, batch, payments, furikae):
            p.add_argument("--tenant", required=True, help="団体コード")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "barcode":
            self._barcode(options)
        elif action == "import-payments":
            payments.import_file(options, self.stdout, self.stderr)
        elif action == "import-furikae":
            payments.import_furikae_file(options, self.stdout, self.stderr)
        else:
            {
                "chotei-import": ledger.chotei_import,
                "balance": ledger.show_balance,
                "entaikin": ledger.show_entaikin,
                "tokusoku": ledger.tokusoku,
            }[action](options, self.stdout)

    def _barcode(self, options: dict[str, Any]) -> None:
        source = options["file"]
        data = _read_json(Path(source))
        limit = _limit(options["limit"])
        out = _out_path(options["out"]) if options.get("out") else None
        try:
            request = parse_request(data)
            code = build(**request.barcode, limit=limit)
            pdf = render(Slip(code, request.el_bango, request.el_qr)) if out else None
        except InvalidInput as exc:
            if exc.field == "limit":
                raise ValidationFailed(exc.reason, source="--limit") from exc
            raise ValidationFailed(exc.reason, field=exc.field, source=source) from exc
        except FontNotInstalledError as exc:
            raise CommandError(str(exc)) from exc
        if out is not None and pdf is not None:
            _write_atomically(out, pdf)
        self.stdout.write(json.dumps({"data": code}))


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ValidationFailed("ファイルがありません", source=str(path)) from exc
    except UnicodeDecodeError as exc:
        raise ValidationFailed("UTF-8 のテキストではありません", source=str(path)) from exc
    except json.JSONDecodeError as exc:
        raise ValidationFailed(
            f"JSON として読めません: {exc.msg}", source=str(path), line=exc.lineno
        ) from exc
    except OSError as exc:
        raise ValidationFailed(f"読めません: {exc.strerror}", source=str(path)) from exc


def _limit(text: str) -> int:
    if not (text.isascii() and text.isdigit()):
        raise ValidationFailed(f"円の金額（半角数字）です (got {text!r})", source="--limit")
    return int(text)


def _out_path(text: str) -> Path:
    out = Path(text)
    if out.is_dir():
        raise ValidationFailed("フォルダではなくファイル名を指定してください", source="--out")
    if not out.parent.is_dir():
        raise ValidationFailed(f"出力先のフォルダ {out.parent} がありません", source="--out")
    return out


def _write_atomically(path: Path, content: bytes) -> None:
    """Write ``content`` next to ``path`` and rename it into place (same file system)."""
    fd, partial = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".partial")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(content)
            f.flush()
            os.fsync(f.fileno())
        Path(partial).replace(path)
    except BaseException as exc:
        Path(partial).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise ValidationFailed(f"書き込めません: {exc.strerror}", source="--out") from exc
        raise
