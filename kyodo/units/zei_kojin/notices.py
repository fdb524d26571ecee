"""個人住民税の通知書: 納税通知書 (普通徴収, 地方税法 第319条の2・第1条第1項第6号) and the
taxpayer's copy of the 特別徴収税額の決定通知書 (第321条の4), one A4 page each. Pure: no Django.

The page states what the law requires a 納税通知書 to state (第1条第1項第6号): the 課税標準,
the tax and its breakdown, the 納期 with each 期's amount, where to pay, and how to object
(審査請求: 地方税法 第19条, 行政不服審査法 第18条 — three months from the day after receipt).
Names print with IPAmj明朝 (kyodo.printing.fonts), so 異体字 print as registered.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from kyodo.printing.fonts import mincho
from kyodo.rules.wareki import to_wareki

KINDS = {
    "futsu": "令和{era_year}年度 {city}・{pref} 納税通知書",
    "tokucho": "令和{era_year}年度 {city}・{pref} 特別徴収税額の決定通知書（納税義務者用）",
}
KIND_LABELS = {
    "kyuyo_tokucho": "給与特別徴収",
    "futsu": "普通徴収",
    "nenkin_kari": "年金（仮徴収）",
    "nenkin_hon": "年金（本徴収）",
}
APPEAL = (
    "この処分に不服がある場合は、この通知を受け取った日の翌日から起算して3か月以内に、"
    "{mayor}に対して審査請求をすることができます（行政不服審査法 第2条・第18条、地方税法 第19条）。"
)
MARGIN = 16 * mm


@dataclass(frozen=True)
class Notice:
    kind: str  # futsu | tokucho
    notice_no: str
    fiscal_year: int
    municipality: str  # 射水市
    prefecture: str  # 富山県
    postal_code: str
    address: str
    name: str
    atena_no: int
    so_shotoku: int
    kojo: int
    kazei_hyojun: int
    city_shotokuwari: int
    city_kintouwari: int
    pref_shotokuwari: int
    pref_kintouwari: int
    forest_env_tax: int
    total: int
    installments: tuple[tuple[str, str, int], ...]  # (期/月, 納期限 or 納入期限, amount)
    issued_on: dt.date
    payer_name: str = ""  # 特別徴収義務者 (tokucho only)


def render(notices: Iterable[Notice]) -> bytes:
    """Every notice, one page each, in the order given (the printer's order)."""
    font = mincho()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, pageCompression=1)
    canvas.setTitle("個人住民税 通知書")
    pages = 0
    for notice in notices:
        _page(canvas, font, notice)
        canvas.showPage()
        pages += 1
    if not pages:
        raise ValueError("no notice to print")
    canvas.save()
    return buffer.getvalue()


def _page(c: Canvas, font: object, n: Notice) -> None:
    name = font.fontName  # type: ignore[attr-defined]
    prepare = font.prepare  # type: ignore[attr-defined]
    width, height = A4
    left, right = MARGIN, width - MARGIN

    def text(x: float, y: float, value: str, size: float = 10) -> None:
        c.setFont(name, size)
        c.drawString(x, y, prepare(value))

    def right_text(x: float, y: float, value: str, size: float = 10) -> None:
        c.setFont(name, size)
        c.drawRightString(x, y, prepare(value))

    y = height - MARGIN
    text(left, y, f"〒{n.postal_code}", 10)
    text(left, y - 5 * mm, n.address, 10)
    text(left, y - 12 * mm, f"{n.name}　様", 13)
    right_text(right, y, f"通知書番号 {n.notice_no}", 9)
    right_text(right, y - 5 * mm, f"宛名番号 {n.atena_no}", 9)
    right_text(right, y - 10 * mm, to_wareki(n.issued_on), 9)
    right_text(right, y - 15 * mm, f"{n.prefecture}{n.municipality}長", 10)
    y -= 30 * mm
    era_year = n.fiscal_year - 2018
    city, pref = tax_names(n.municipality, n.prefecture)
    text(left, y, KINDS[n.kind].format(era_year=era_year, city=city, pref=pref), 14)
    y -= 8 * mm
    if n.kind == "tokucho":
        text(left, y, f"特別徴収義務者番号: {n.payer_name}", 10)
        y -= 6 * mm
    rows = [
        ("総所得金額等", n.so_shotoku),
        ("所得控除額の合計", n.kojo),
        ("課税標準額（課税総所得金額）", n.kazei_hyojun),
        (f"{city} 所得割額", n.city_shotokuwari),
        (f"{city} 均等割額", n.city_kintouwari),
        (f"{pref} 所得割額", n.pref_shotokuwari),
        (f"{pref} 均等割額", n.pref_kintouwari),
        ("森林環境税（国税）", n.forest_env_tax),
        ("年税額", n.total),
    ]
    row_h = 7 * mm
    for label, amount in rows:
        c.rect(left, y - row_h, right - left, row_h)
        text(left + 2 * mm, y - row_h + 2.2 * mm, label)
        right_text(right - 2 * mm, y - row_h + 2.2 * mm, f"{amount:,}円")
        y -= row_h
    y -= 8 * mm
    text(left, y, "期別の税額" if n.kind == "futsu" else "月別の特別徴収税額", 11)
    y -= 2 * mm
    for label, due, amount in n.installments:
        c.rect(left, y - row_h, right - left, row_h)
        text(left + 2 * mm, y - row_h + 2.2 * mm, label)
        text(left + 45 * mm, y - row_h + 2.2 * mm, due)
        right_text(right - 2 * mm, y - row_h + 2.2 * mm, f"{amount:,}円")
        y -= row_h
    _wrapped(c, name, prepare(APPEAL.format(mayor=f"{n.municipality}長")), left, y - 8 * mm)


def _wrapped(c: Canvas, font_name: str, text: str, left: float, y: float) -> None:
    """``text`` in 8.5 pt lines as wide as the page allows."""
    width = A4[0] - MARGIN - left
    c.setFont(font_name, 8.5)
    line = ""
    for char in text:
        if c.stringWidth(line + char, font_name, 8.5) > width:
            c.drawString(left, y, line)
            y -= 4.5 * mm
            line = ""
        line += char
    if line:
        c.drawString(left, y, line)


def tax_names(municipality: str, prefecture: str) -> tuple[str, str]:
    """The taxes as residents know them: 射水市 → 市民税, 立山町 → 町民税; 富山県 → 県民税,
    東京都 → 都民税 (a 特別区 levies 特別区民税)."""
    city = "特別区民税" if municipality.endswith("区") else f"{municipality[-1:] or '市'}民税"
    return city, f"{prefecture[-1:] or '県'}民税"


def installment_rows(
    installments: list[dict[str, object]], kind: str
) -> tuple[tuple[str, str, int], ...]:
    """The installments the notice of ``kind`` lists, labelled for the resident."""
    rows = []
    for item in installments:
        item_kind = str(item["kind"])
        if kind == "futsu" and item_kind == "kyuyo_tokucho":
            continue
        if kind == "tokucho" and item_kind != "kyuyo_tokucho":
            continue
        due = dt.date.fromisoformat(str(item["due"]))
        if item_kind == "kyuyo_tokucho":
            month = (due.month - 2) % 12 + 1  # paid by the 10th of the month after
            label = f"{month}月分"
        else:
            label = f"第{item['number']}期（{KIND_LABELS.get(item_kind, item_kind)}）"
        rows.append((label, f"納期限 {to_wareki(due)}", int(item["amount"])))  # type: ignore[arg-type]
    return tuple(rows)
