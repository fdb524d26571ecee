"""請求書 PDF: one page per invoice (IPAmj明朝, reportlab), from the fixed invoice rows."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from kyodo.kyogikai.models import Invoice
from kyodo.printing.fonts import mincho
from kyodo.printing.text import Pen
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
    pen = Pen(c, font, right_margin=MARGIN)
    width, height = A4
    left, right = MARGIN, width - MARGIN
    period = invoice.period

    y = height - MARGIN
    pen.right(right, y, f"請求番号 {invoice.number}", 9)
    issued = period.issued_at.date() if period.issued_at else None
    pen.right(right, y - 5 * mm, to_wareki(issued) if issued else "", 9)
    pen.text(left, y - 5 * mm, f"{invoice.member.name}長　様", 13)
    pen.right(right, y - 12 * mm, f"{period.consortium.name}　事務局", 10)
    y -= 28 * mm
    pen.centre(width / 2, y, "協議会負担金 請求書", 16)
    y -= 10 * mm
    span = f"{period.start:%Y年%m月%d日}〜{period.end:%Y年%m月%d日}"
    pen.text(left, y, f"対象期間　{period.label}（{span}）")
    y -= 12 * mm
    pen.text(left, y, "ご請求額", 12)
    pen.right(right, y, f"{invoice.amount:,}円", 16)
    c.line(left, y - 2 * mm, right, y - 2 * mm)
    y -= 10 * mm
    pen.text(left, y, "内訳", 11)
    y -= 2 * mm
    for label, amount in _breakdown(invoice):
        c.rect(left, y - ROW, right - left, ROW)
        pen.text(left + 2 * mm, y - ROW + 2.2 * mm, label)
        pen.right(right - 2 * mm, y - ROW + 2.2 * mm, f"{amount:,}円")
        y -= ROW
    if invoice.saving_rate is not None:
        y -= 6 * mm
        pen.text(left, y, f"現行経費に対する削減率　{invoice.saving_rate * 100:.2f}%")
    y = pen.wrapped("算定の説明：" + invoice.explanation, left, y - 8 * mm)
    if invoice.usage:
        _usage(c, pen, invoice.usage, y - 4 * mm)


def _usage(c: Canvas, pen: Pen, usage: list[dict[str, Any]], y: float) -> None:
    left, right = MARGIN, A4[0] - MARGIN
    pen.text(left, y, "利用実績（月別）", 11)
    y -= 2 * mm
    heads = ("月", "住民数（月末）", "異動件数", "証明書発行件数")
    columns = (left + 2 * mm, left + 70 * mm, left + 110 * mm, right - 2 * mm)
    rows = [heads] + [
        (u["month"], f"{u['residents']:,}", f"{u['idou']:,}", f"{u['certificates']:,}")
        for u in usage
    ]
    for row in rows:
        if y - ROW < MARGIN:
            break  # a year fits on the page; a longer period's figures are in the CSV
        c.rect(left, y - ROW, right - left, ROW)
        pen.text(columns[0], y - ROW + 2.2 * mm, row[0], 9)
        for x, value in zip(columns[1:], row[1:], strict=True):
            pen.right(x, y - ROW + 2.2 * mm, value, 9)
        y -= ROW
