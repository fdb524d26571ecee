"""軽自動車税（種別割）の納税通知書, one A4 page per vehicle. Pure: no Django.

The page states what a 納税通知書 must (地方税法 第1条第1項第6号): the vehicle taxed (標識番号,
車種, 用途, 初度検査年月), the rate applied (新税率・旧税率・重課・グリーン化特例) and the tax,
the 納期限, and how to object (審査請求: 地方税法 第19条, 行政不服審査法 第18条). Names print
with IPAmj明朝 (kyodo.printing.fonts).
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
from kyodo.printing.text import Pen
from kyodo.rules.wareki import to_wareki

MARGIN = 16 * mm
ROW = 7 * mm
RATE_KINDS = {"new": "新税率（標準税率）", "old": "旧税率", "heavy": "重課（13年経過）"}
RULE = (
    "軽自動車税（種別割）は、4月1日（賦課期日）現在の所有者に1年分を課税します。"
    "年度の途中で廃車・譲渡しても月割の課税や還付はありません。"
)
APPEAL = (
    "この処分に不服がある場合は、この通知を受け取った日の翌日から起算して3か月以内に、"
    "{mayor}に対して審査請求をすることができます（行政不服審査法 第2条・第18条、地方税法 第19条）。"
)


@dataclass(frozen=True)
class Notice:
    notice_no: int
    fiscal_year: int
    municipality: str
    prefecture: str
    postal_code: str
    address: str
    name: str
    atena_no: int
    hyoshiki_no: str
    kind: str  # 車種 (Japanese)
    use: str  # 自家用 / 営業用 / ""
    first_inspection: str  # "2012-10" or ""
    rate_kind: str  # new | old | heavy
    green: bool  # グリーン化特例 applied
    total: int
    installments: tuple[tuple[str, str, int], ...]  # (第N期, 納期限, amount)
    issued_on: dt.date


def title(n: Notice) -> str:
    return f"令和{n.fiscal_year - 2018}年度 軽自動車税（種別割）納税通知書"


def render(notices: Iterable[Notice]) -> bytes:
    """Every notice, one page each, in the order given (the printer's order)."""
    font = mincho()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, pageCompression=1)
    canvas.setTitle("軽自動車税（種別割）納税通知書")
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
    pen = Pen(c, font, right_margin=MARGIN)
    text, right_text = pen.text, pen.right
    width, height = A4
    left, right = MARGIN, width - MARGIN

    y = height - MARGIN
    text(left, y, f"〒{n.postal_code}" if n.postal_code else "", 10)
    text(left, y - 5 * mm, n.address, 10)
    text(left, y - 12 * mm, f"{n.name}　様", 13)
    right_text(right, y, f"通知書番号 {n.notice_no}", 9)
    right_text(right, y - 5 * mm, f"宛名番号 {n.atena_no}", 9)
    right_text(right, y - 10 * mm, to_wareki(n.issued_on), 9)
    right_text(right, y - 15 * mm, f"{n.prefecture}{n.municipality}長", 10)
    y -= 30 * mm
    text(left, y, title(n), 14)
    y -= 8 * mm
    rate = RATE_KINDS.get(n.rate_kind, n.rate_kind)
    if n.green:
        rate += "・グリーン化特例（軽課）"
    rows = [
        ("標識番号", n.hyoshiki_no),
        ("車種", n.kind),
        ("用途", n.use or "―"),
        ("初度検査年月", n.first_inspection or "―"),
        ("税率の区分", rate),
        ("年税額", f"{n.total:,}円"),
    ]
    for label, value in rows:
        c.rect(left, y - ROW, right - left, ROW)
        text(left + 2 * mm, y - ROW + 2.2 * mm, label)
        right_text(right - 2 * mm, y - ROW + 2.2 * mm, value)
        y -= ROW
    y -= 8 * mm
    text(left, y, "納期", 11)
    y -= 2 * mm
    for label, due, amount in n.installments:
        c.rect(left, y - ROW, right - left, ROW)
        text(left + 2 * mm, y - ROW + 2.2 * mm, label)
        text(left + 45 * mm, y - ROW + 2.2 * mm, due)
        right_text(right - 2 * mm, y - ROW + 2.2 * mm, f"{amount:,}円")
        y -= ROW
    y = pen.wrapped(RULE, left, y - 8 * mm)
    pen.wrapped(APPEAL.format(mayor=f"{n.municipality}長"), left, y - 2 * mm)


def installment_rows(installments: list[dict[str, object]]) -> tuple[tuple[str, str, int], ...]:
    label = "全期" if len(installments) == 1 else "第{number}期"
    return tuple(
        (
            label.format(number=item["number"]),
            f"納期限 {to_wareki(dt.date.fromisoformat(str(item['due'])))}",
            int(item["amount"]),  # type: ignore[call-overload]
        )
        for item in installments
    )
