"""特別徴収税額の決定通知書（特別徴収義務者用）: to each employer, the employees whose 個人住民税
it collects and each month's amount (地方税法 第321条の4第1項: notified by 31 May).

The employer deducts June's amount first (the remainder of the division is in June, 第321条の5)
and then the same amount each month to May. One employer starts on a new page; a long list
continues on the next pages with the header repeated.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from kyodo.printing.fonts import mincho
from kyodo.rules.wareki import to_wareki
from kyodo.units.zei_kojin.notices import tax_names

ROWS_PER_PAGE = 18
MONTHS = ("6月", "7月", "8月", "9月", "10月", "11月", "12月", "1月", "2月", "3月", "4月", "5月")
MARGIN = 12 * mm
PAY_BY = (
    "毎月の特別徴収税額は、給与の支払の際に徴収し、翌月10日までに納入してください"
    "（地方税法 第321条の5）。"
)


@dataclass(frozen=True)
class Employee:
    atena_no: int
    name: str
    total: int
    monthly: tuple[int, ...]  # June → May


@dataclass(frozen=True)
class EmployerNotice:
    payer_no: str
    payer_name: str
    fiscal_year: int
    municipality: str
    prefecture: str
    employees: Sequence[Employee]
    issued_on: dt.date


def render(notices: Iterable[EmployerNotice]) -> bytes:
    font = mincho()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=landscape(A4), pageCompression=1)
    canvas.setTitle("特別徴収税額の決定通知書（特別徴収義務者用）")
    pages = 0
    for notice in notices:
        for start in range(0, max(len(notice.employees), 1), ROWS_PER_PAGE):
            _page(canvas, font, notice, notice.employees[start : start + ROWS_PER_PAGE], start)
            canvas.showPage()
            pages += 1
    if not pages:
        raise ValueError("no notice to print")
    canvas.save()
    return buffer.getvalue()


def _page(c: Canvas, font: object, n: EmployerNotice, rows: Sequence[Employee], start: int) -> None:
    name, prepare = font.fontName, font.prepare  # type: ignore[attr-defined]
    width, height = landscape(A4)
    left, right = MARGIN, width - MARGIN

    def text(x: float, y: float, value: str, size: float = 9) -> None:
        c.setFont(name, size)
        c.drawString(x, y, prepare(value))

    def right_text(x: float, y: float, value: str, size: float = 9) -> None:
        c.setFont(name, size)
        c.drawRightString(x, y, prepare(value))

    city, pref = tax_names(n.municipality, n.prefecture)
    y = height - MARGIN
    title = f"令和{n.fiscal_year - 2018}年度 {city}・{pref} 特別徴収税額の決定通知書"
    text(left, y, f"{title}（特別徴収義務者用）", 13)
    right_text(right, y, f"{to_wareki(n.issued_on)}　{n.prefecture}{n.municipality}長", 9)
    y -= 8 * mm
    text(left, y, f"特別徴収義務者 {n.payer_name}（指定番号 {n.payer_no}）　様", 11)
    right_text(right, y, f"{len(n.employees)}人　{start + 1}〜{start + len(rows)}", 9)
    y -= 8 * mm
    widths = [20 * mm, 42 * mm, 22 * mm] + [16.5 * mm] * 12
    headers = ["宛名番号", "氏名", "年税額", *MONTHS]
    row_h = 7 * mm
    x = left
    for header, w in zip(headers, widths, strict=True):
        c.rect(x, y - row_h, w, row_h)
        text(x + 1.5 * mm, y - row_h + 2.2 * mm, header, 8)
        x += w
    y -= row_h
    for e in rows:
        x = left
        values = [str(e.atena_no), e.name, f"{e.total:,}", *(f"{m:,}" for m in e.monthly)]
        for index, (value, w) in enumerate(zip(values, widths, strict=True)):
            c.rect(x, y - row_h, w, row_h)
            if index == 1:
                text(x + 1.5 * mm, y - row_h + 2.2 * mm, value, 8.5)
            else:
                right_text(x + w - 1.5 * mm, y - row_h + 2.2 * mm, value, 8.5)
            x += w
        y -= row_h
    text(
        left,
        MARGIN,
        PAY_BY,
        8,
    )
