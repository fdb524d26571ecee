"""The 納付書 for convenience-store payment as a one-page PDF (reportlab, IPAmj明朝).

Pure: no Django, no database (import contract ``shuno-slip-is-pure``). The slip shows the
amount and the due date (和暦), the eL番号 when given, an eL-QR when its payload is given, and
the GS1-128 標準料金代理収納 symbol with its digits in two lines under the bars.

The symbol follows the sizes of the GS1 Japan 標準料金代理収納ガイドライン as summarised at
https://technoveins.co.jp/t/barcheck/cvsbar.htm: Code 128 set C starting with FNC1 (so
scanners report GS1-128), at most 60 mm long including the quiet zones of 2.54 mm each side,
at least 10 mm high, and a module of 2 dots at 300 dpi (0.169 mm), which also lands on whole
dots at 600 dpi. It is drawn as vectors by reportlab's own Code128 (stack-notes §5).

The eL-QR's payload format is in eLTAX specifications that are not at hand (rules.md §10.5,
a gap), so Kyodo does not compose it: the caller passes the payload, and the slip draws it as
a QR code (segno) exactly as given. The eLマーク artwork is not drawn.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import segno
from reportlab.graphics.barcode.code128 import Code128
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import inch, mm
from reportlab.pdfgen.canvas import Canvas

from kyodo.printing.fonts import mincho
from kyodo.rules.wareki import to_wareki

from .barcode import Barcode, human_readable, parse
from .errors import InvalidInput, require_digits

__all__ = ["BAR_MODULE", "ElBango", "Slip", "render"]

FNC1 = "\xf1"  # reportlab's Code128 encodes this character as the FNC1 symbol character
BAR_MODULE = 2 * inch / 300  # 0.169 mm: 2 dots at 300 dpi, 4 at 600 dpi
BAR_QUIET = 2.54 * mm
BAR_HEIGHT = 12 * mm  # the guideline's minimum is 10 mm
EL_QR_MAX = 500  # characters; far above any payment payload, far below a QR's capacity
EL_QR_SIZE = 24 * mm  # the symbol with its 4-module quiet zone

PAGE_WIDTH, PAGE_HEIGHT = A4
LEFT = 24 * mm


@dataclass(frozen=True)
class ElBango:
    """eL番号 (rules.md §10.5): the same four items a Pay-easy payer types in (§10.4)."""

    shuno_kikan_no: str  # 収納機関番号, 5 digits
    nofu_no: str  # 納付番号, 16 digits for taxes, up to 20 for some billers
    kakunin_no: str  # 確認番号, 6 digits
    nofu_kubun: str  # 納付区分; its length is [UNCERTAIN] in rules.md §10.4

    def __post_init__(self) -> None:
        require_digits(self.shuno_kikan_no, "el.shuno_kikan_no", exact=5)
        nofu_no = require_digits(self.nofu_no, "el.nofu_no", most=20)
        if len(nofu_no) < 16:
            raise InvalidInput("el.nofu_no", f"16〜20桁です (got {len(nofu_no)}桁)")
        require_digits(self.kakunin_no, "el.kakunin_no", exact=6)
        # Length unknown (rules.md §10.4): only refuse what cannot be one.
        if not require_digits(self.nofu_kubun, "el.nofu_kubun", most=10):
            raise InvalidInput("el.nofu_kubun", "空です")


@dataclass(frozen=True)
class Slip:
    """What one 納付書 prints. ``data`` is the 44-digit barcode data; the amount and the due
    date shown are read from it, so the printed text and the bars cannot disagree."""

    data: str
    el_bango: ElBango | None = None
    el_qr: str | None = None  # the eL-QR payload, as issued; drawn only with an eL番号
    title: str = "納付書"

    def __post_init__(self) -> None:
        parse(self.data)  # refuses anything but valid data
        if self.el_qr is not None:
            if not isinstance(self.el_qr, str) or not self.el_qr:
                raise InvalidInput("el_qr", "eL-QR のデータ（文字列）が空です")
            if len(self.el_qr) > EL_QR_MAX:
                raise InvalidInput("el_qr", f"{EL_QR_MAX}文字までです (got {len(self.el_qr)})")
            if not (self.el_qr.isascii() and self.el_qr.isprintable()):
                raise InvalidInput("el_qr", "半角英数字と記号だけで指定してください")
            if self.el_bango is None:
                # The eL番号 is the payer's fallback when the code cannot be read.
                raise InvalidInput("el_qr", "eL-QR を印刷するときは eL番号 (el) も必要です")


def render(slip: Slip) -> bytes:
    """The slip as a one-page PDF."""
    code = parse(slip.data)
    font = mincho().fontName
    out = io.BytesIO()
    # invariant: no creation date or random id, so the same slip gives the same bytes.
    canvas = Canvas(out, pagesize=A4, invariant=1)
    canvas.setTitle(slip.title)
    top = PAGE_HEIGHT - 28 * mm

    canvas.setFont(font, 18)
    canvas.drawString(LEFT, top, slip.title)
    canvas.setFont(font, 9)
    canvas.drawString(LEFT, top - 7 * mm, "コンビニエンスストアでお支払いいただけます。")

    y = top - 20 * mm
    for label, value in _items(code):
        canvas.setFont(font, 10)
        canvas.drawString(LEFT, y, label)
        canvas.setFont(font, 14)
        canvas.drawString(LEFT + 30 * mm, y, value)
        y -= 9 * mm

    if slip.el_bango is not None:
        y = _draw_el(canvas, font, slip.el_bango, slip.el_qr, y - 4 * mm)

    _draw_barcode(canvas, font, slip.data, top=y - 6 * mm)
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def _items(code: Barcode) -> list[tuple[str, str]]:
    due = "指定なし" if code.due_date is None else to_wareki(code.due_date)
    items = [("納付金額", f"{code.amount:,}円"), ("納期限", due)]
    if code.reissue:
        items.append(("再発行", f"{code.reissue}回目"))
    return items


def _draw_el(canvas: Canvas, font: str, el: ElBango, qr: str | None, y: float) -> float:
    """The eL番号 block (and the eL-QR right of it); returns the y below it."""
    canvas.setFont(font, 10)
    canvas.drawString(LEFT, y, "eL番号")
    rows = [
        ("収納機関番号", el.shuno_kikan_no),
        ("納付番号", el.nofu_no),
        ("確認番号", el.kakunin_no),
        ("納付区分", el.nofu_kubun),
    ]
    line_y = y - 7 * mm
    for label, value in rows:
        canvas.setFont(font, 9)
        canvas.drawString(LEFT + 4 * mm, line_y, label)
        canvas.setFont(font, 11)
        canvas.drawString(LEFT + 30 * mm, line_y, value)
        line_y -= 6 * mm
    if qr is not None:
        qr_top = y + 4 * mm
        _draw_qr(canvas, qr, x=LEFT + 100 * mm, top=qr_top)
        canvas.setFont(font, 8)
        label_y = qr_top - EL_QR_SIZE - 1 * mm
        canvas.drawString(LEFT + 100 * mm + 3 * mm, label_y, "eL-QR")
        line_y = min(line_y, label_y - 6 * mm)
    return line_y


def _draw_qr(canvas: Canvas, payload: str, *, x: float, top: float) -> None:
    """A QR code (error correction M) as filled squares, quiet zone included in the size."""
    qr = segno.make_qr(payload, error="m")
    border = 4
    width, _ = qr.symbol_size(scale=1, border=border)
    module = EL_QR_SIZE / width
    canvas.setFillGray(0)
    for row, cells in enumerate(qr.matrix_iter(scale=1, border=border)):
        modules = list(cells)
        y = top - (row + 1) * module
        col = 0
        # One rectangle per run of dark modules: fewer objects, no hairline gaps between them.
        while col < width:
            if not modules[col]:
                col += 1
                continue
            start = col
            while col < width and modules[col]:
                col += 1
            canvas.rect(x + start * module, y, (col - start) * module, module, stroke=0, fill=1)


def _draw_barcode(canvas: Canvas, font: str, data: str, *, top: float) -> None:
    """A caption at ``top``, the GS1-128 symbol under it, and its digits in two lines."""
    canvas.setFont(font, 9)
    canvas.drawString(LEFT, top, "コンビニエンスストア収納用バーコード")
    y = top - 3 * mm - BAR_HEIGHT  # the bottom of the bars
    symbol = Code128(
        FNC1 + data,
        barWidth=BAR_MODULE,
        barHeight=BAR_HEIGHT,
        quiet=1,
        lquiet=BAR_QUIET,
        rquiet=BAR_QUIET,
    )
    symbol.drawOn(canvas, LEFT, y)
    canvas.setFont(font, 8)
    first, second = human_readable(data)
    canvas.drawString(LEFT + BAR_QUIET, y - 4 * mm, first)
    canvas.drawString(LEFT + BAR_QUIET, y - 8 * mm, second)
