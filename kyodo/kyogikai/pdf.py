"""請求書 PDF: one page per invoice (IPAmj明朝, reportlab), from the fixed invoice rows."""

from __future__ import annotations

import io
from collections.abc import Sequence

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from kyodo.kyogikai.models import Invoice
from kyodo.printing.fonts import mincho
from kyodo.printing.text import draw_wrapped
from kyodo.rules.wareki import to_wareki

__all__ = ["render"]

MARGIN = 18 * mm
ROW = 7 * mm
PARTS = (("equal", "均等割"), ("population", "人口割"), ("units", "業務数割"))


def render(invoices: Sequence[Invoice]) -> bytes:
    if not invoices:
        raise ValueError("no invoice to print")
    font = mincho()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, pageCompression=1)
    canvas.setTitle("協議会負担金 請求書")
    for invoice in invoices:
        _page(canvas, font, invoice)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _breakdown(invoice: Invoice) -> list[tuple[str, int]]:
    c = invoice.components
    rows = [(label, c[key]) for key, label in PARTS if key in c]
    rows += [(f"一時経費（{name}）", amount) for name, amount in (c.get("one_off") or {}).items()]
    if c.get("guarantee"):
        rows.append(("最低削減率の保障による調整", c["guarantee"]))
    if c.get("rounding"):
        rows.append(("端数調整", c["rounding"]))
    return rows


def _page(c: Canvas, font: object, invoice: Invoice) -> None:
    name = font.fontName  # type: ignore[attr-defined]
    prepare = font.prepare  # type: ignore[attr-defined]
    width, height = A4
    left, right = MARGIN, width - MARGIN
    period = invoice.period
    consortium = period.consortium

    def text(x: float, y: float, value: str, size: float = 10) -> None:
        c.setFont(name, size)
        c.drawString(x, y, prepare(value))

    def right_text(x: float, y: float, value: str, size: float = 10) -> None:
        c.setFont(name, size)
        c.drawRightString(x, y, prepare(value))

    y = height - MARGIN
    right_text(right, y, f"請求番号 {invoice.number}", 9)
    issued = period.issued_at.date() if period.issued_at else None
    right_text(right, y - 5 * mm, to_wareki(issued) if issued else "", 9)
    text(left, y - 5 * mm, f"{invoice.member.name}長　様", 13)
    right_text(right, y - 12 * mm, f"{consortium.name}　事務局", 10)
    y -= 28 * mm
    c.setFont(name, 16)
    c.drawCentredString(width / 2, y, prepare("協議会負担金 請求書"))
    y -= 10 * mm
    text(
        left,
        y,
        f"対象期間　{period.label}（{period.start:%Y年%m月%d日}〜{period.end:%Y年%m月%d日}）",
    )
    y -= 12 * mm
    text(left, y, "ご請求額", 12)
    right_text(right, y, f"{invoice.amount:,}円", 16)
    c.line(left, y - 2 * mm, right, y - 2 * mm)
    y -= 10 * mm
    text(left, y, "内訳", 11)
    y -= 2 * mm
    for label, amount in _breakdown(invoice):
        c.rect(left, y - ROW, right - left, ROW)
        text(left + 2 * mm, y - ROW + 2.2 * mm, label)
        right_text(right - 2 * mm, y - ROW + 2.2 * mm, f"{amount:,}円")
        y -= ROW
    if invoice.saving_rate is not None:
        y -= 6 * mm
        text(left, y, f"現行経費に対する削減率　{invoice.saving_rate * 100:.2f}%")
    y = _wrapped(c, name, prepare("算定の説明：" + invoice.explanation), left, y - 8 * mm)
    if invoice.usage:
        y -= 4 * mm
        text(left, y, "利用実績（月別）", 11)
        y -= 2 * mm
        heads = ("月", "住民数（月末）", "異動件数", "証明書発行件数")
        columns = (left + 2 * mm, left + 70 * mm, left + 110 * mm, right - 2 * mm)
        for row in [heads] + [
            (u["month"], f"{u['residents']:,}", f"{u['idou']:,}", f"{u['certificates']:,}")
            for u in invoice.usage
        ]:
            c.rect(left, y - ROW, right - left, ROW)
            text(columns[0], y - ROW + 2.2 * mm, row[0], 9)
            for x, value in zip(columns[1:], row[1:], strict=True):
                right_text(x, y - ROW + 2.2 * mm, value, 9)
            y -= ROW
            if y < MARGIN + ROW:
                break  # a year fits; a longer period's figures are in the CSV


def _wrapped(c: Canvas, font_name: str, text: str, left: float, y: float) -> float:
    """``text`` in 8.5 pt lines as wide as the page allows; returns the next line's y."""
    return draw_wrapped(c, font_name, text, left, y, A4[0] - MARGIN - left)
