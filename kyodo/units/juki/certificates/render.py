"""Draw certificates into one PDF (A4 portrait, IPAmj明朝) on a plain reportlab canvas.

Every page shows the title, the 発行番号 and "n / N"; the 認証文, the issue date (和暦) and the
municipality with the mayor line appear only on the last page of each certificate (標準仕様書
5.1). All certificates share one canvas, so a bulk issue embeds the font subset once.

Not drawn yet: the 電子公印 (electronic seal) and the 再交付 mark of a reissued 転出証明書.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from kyodo.printing.fonts import MjFont, mincho
from kyodo.rules.wareki import to_wareki

from . import wording as w
from .layout import (
    HISTORY_HEAD,
    HISTORY_LINE,
    PERSON_GAP,
    SCALE,
    PagePlan,
    Row,
    household_rows,
    plan_pages,
)
from .model import Certificate

# Re-exported for callers and tests: the wording lives in .wording.
CERTIFICATION_TEXTS = w.CERTIFICATION_TEXTS
TITLES = w.TITLES

PAGE_WIDTH: float = A4[0]
PAGE_HEIGHT: float = A4[1]
MARGIN = 34.0
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN
TITLE_SIZE = 18.0
HEADER_HEIGHT = 44.0  # issue number, title, space under it
FOOTER_HEIGHT = 86.0  # 認証文, date, municipality, mayor
PAGE_NO_HEIGHT = 14.0
LABEL_SIZE = 6.5
KANA_SIZE = 7.0
VALUE_SIZE = 9.0
NAME_SIZE = 12.0
MIN_SIZE = 5.0
LINE_WIDTH = 0.5
NO_CERTIFICATES = "Nothing to render: pass at least one certificate."
BODY_BOTTOM = MARGIN + PAGE_NO_HEIGHT + FOOTER_HEIGHT  # the footer space is kept on every page


def render_pdf(certificates: Sequence[Certificate]) -> bytes:
    """One PDF holding every certificate in order, each paginated on its own."""
    if not certificates:
        raise ValueError(NO_CERTIFICATES)
    font = mincho()
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4, pageCompression=1, invariant=1)
    canvas.setTitle("証明書")
    painter = _Painter(canvas, font)
    for cert in certificates:
        painter.certificate(cert)
    canvas.save()
    return out.getvalue()


def page_count(certificate: Certificate) -> int:
    """How many sheets ``certificate`` takes (for fees and the issue record), without drawing."""
    return len(plan_pages(certificate, _body_top(certificate) - BODY_BOTTOM))


def _body_top(cert: Certificate) -> float:
    household = household_rows(cert)
    return PAGE_HEIGHT - MARGIN - HEADER_HEIGHT - sum(r.height for r in household) - 8.0


class _Painter:
    def __init__(self, canvas: Canvas, font: MjFont) -> None:
        self.c = canvas
        self.font = font
        self.name = font.fontName

    # -- text ---------------------------------------------------------------------------------
    def text(
        self, x: float, y: float, text: str, size: float, width: float = 0.0, *, align: str = "left"
    ) -> None:
        """Draw text at baseline y; shrink (then condense) it to fit ``width`` if given."""
        if not text:
            return
        shown = self.font.prepare(text)
        natural = self.font.stringWidth(shown, size)
        hscale = 100.0
        if width and natural > width:
            size = max(MIN_SIZE, size * width / natural)
            natural = self.font.stringWidth(shown, size)
            if natural > width:
                hscale, natural = 100.0 * width / natural, width
        if align == "right":
            x -= natural
        elif align == "centre":
            x -= natural / 2
        if hscale == 100.0:
            self.c.setFont(self.name, size)
            self.c.drawString(x, y, shown)
            return
        obj = self.c.beginText(x, y)
        obj.setFont(self.name, size)
        obj.setHorizScale(hscale)
        obj.textOut(shown)
        self.c.drawText(obj)

    # -- pages --------------------------------------------------------------------------------
    def certificate(self, cert: Certificate) -> None:
        household = household_rows(cert)
        top = PAGE_HEIGHT - MARGIN - HEADER_HEIGHT
        body_top = _body_top(cert)
        pages = plan_pages(cert, body_top - BODY_BOTTOM)
        for number, page in enumerate(pages, start=1):
            self.c.setLineWidth(LINE_WIDTH)  # graphics state resets with every page
            self.header(cert, number, len(pages))
            y = top
            for row in household:
                y = self.row(row, MARGIN, y, CONTENT_WIDTH, SCALE[cert.layout])
            self.body(cert, page, body_top)
            if number == len(pages):
                self.footer(cert)
            self.c.showPage()

    def header(self, cert: Certificate, number: int, count: int) -> None:
        right = PAGE_WIDTH - MARGIN
        self.text(
            right, PAGE_HEIGHT - MARGIN - 6, f"{w.ISSUE_NO}　{cert.issue_no}", 8.5, align="right"
        )
        if cert.remark:
            # Top left, on the 発行番号's line (which is at the right).
            self.text(MARGIN, PAGE_HEIGHT - MARGIN - 6, cert.remark, 8.5, CONTENT_WIDTH * 0.55)
        title = w.TITLES[cert.kind]
        self.c.setFont(self.name, TITLE_SIZE)
        self.c.drawCentredString(PAGE_WIDTH / 2, PAGE_HEIGHT - MARGIN - 28, title, charSpace=4)
        page_no = w.PAGE_NO.format(page=number, pages=count)
        self.c.setFont(self.name, 9)  # charSpace: IPAmj's narrow space vanishes in pdftotext
        self.c.drawCentredString(PAGE_WIDTH / 2, MARGIN, page_no, charSpace=1)

    def body(self, cert: Certificate, page: PagePlan, top: float) -> None:
        scale = SCALE[cert.layout]
        y = top
        for i, part in enumerate(page.parts):
            if i:
                y -= PERSON_GAP * scale
            for row in part.rows:
                y = self.row(row, MARGIN, y, CONTENT_WIDTH, scale)
            if part.history:
                y = self.history(part.history_title, part.history, y, scale)

    def footer(self, cert: Certificate) -> None:
        base = MARGIN + PAGE_NO_HEIGHT
        self.text(
            MARGIN + 10, base + 64, w.CERTIFICATION_TEXTS[cert.kind], 10.5, CONTENT_WIDTH - 20
        )
        self.text(MARGIN + 24, base + 44, to_wareki(cert.issued_on), 10.5)
        right = PAGE_WIDTH - MARGIN - 10
        self.text(right, base + 26, cert.municipality, 10.5, CONTENT_WIDTH / 2, align="right")
        self.text(right, base + 6, cert.mayor, 13, CONTENT_WIDTH * 0.6, align="right")

    # -- boxes --------------------------------------------------------------------------------
    def row(self, row: Row, x0: float, top: float, width: float, scale: float) -> float:
        """Draw one row of cells below ``top``; return the new top."""
        bottom = top - row.height
        self.c.rect(x0, bottom, width, row.height)
        total = sum(cell.weight for cell in row.cells)
        x = x0
        label_size, kana_size = LABEL_SIZE * scale, KANA_SIZE * scale
        for i, cell in enumerate(row.cells):
            cw = width * cell.weight / total
            if i:
                self.c.line(x, bottom, x, top)
            label_y = top - label_size - 1.5
            self.text(x + 2.5, label_y, cell.label, label_size, cw - 5)
            if cell.kana:
                label_w = self.font.stringWidth(cell.label, label_size) + 6
                self.text(x + 2.5 + label_w, label_y, cell.kana, kana_size, cw - label_w - 8)
            size = (NAME_SIZE if cell.big else VALUE_SIZE) * scale
            self.text(x + 6, bottom + row.height * 0.15, cell.value, size, cw - 10)
            x += cw
        return bottom

    def history(self, title: str, lines: tuple[str, ...], top: float, scale: float) -> float:
        head, line = HISTORY_HEAD * scale, HISTORY_LINE * scale
        height = head + line * len(lines)
        bottom = top - height
        self.c.rect(MARGIN, bottom, CONTENT_WIDTH, height)
        self.text(MARGIN + 2.5, top - LABEL_SIZE * scale - 1.5, title, LABEL_SIZE * scale)
        y = top - head
        for text in lines:
            self.text(MARGIN + 8, y - line + 2.5 * scale, text, 8.5 * scale, CONTENT_WIDTH - 16)
            y -= line
        return bottom
