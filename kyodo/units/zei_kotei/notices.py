"""固定資産税・都市計画税の納税通知書 with its 課税明細書, one per 納税義務者 (an owner, or a
group of co-owners addressed to their 代表者). Pure: no Django.

The first page is the 納税通知書 (地方税法 第364条第1項・第2項): the 課税標準額 of land and
houses, the rate, the tax and the 新築住宅 reduction, 都市計画税 beside it where levied, each
期's amount and 納期限, and how to object — 審査請求 to the mayor against the assessment
(第19条, 行政不服審査法 第18条) and, against the 価格 on the ledger, 審査の申出 to the
固定資産評価審査委員会 (第432条). The following pages are the 課税明細書 (第364条第3項): each
parcel and house with its 所在, 地番 or 家屋番号, 地目 or 種類・構造, area, 価格 and
課税標準額. Names print with IPAmj明朝 (kyodo.printing.fonts).
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
APPEAL = (
    "この処分に不服がある場合は、この通知を受け取った日の翌日から起算して3か月以内に、{mayor}に対して"
    "審査請求をすることができます（行政不服審査法 第2条・第18条、地方税法 第19条）。"
    "固定資産課税台帳に登録された価格に不服がある場合は、この通知を受け取った日の翌日から起算して"
    "3か月以内に、{city}固定資産評価審査委員会に審査の申出をすることができます"
    "（地方税法 第432条）。"
)
DETAIL_COLUMNS = (  # (heading, width in mm)
    ("区分", 11),
    ("所在・地番／家屋番号", 54),
    ("地目／種類・構造", 24),
    ("地積／床面積", 20),
    ("価格", 23),
    ("課税標準額", 23),
    ("持分", 23),
)


@dataclass(frozen=True)
class Asset:
    kind: str  # 土地 | 家屋
    place: str  # 所在 and 地番 / 家屋番号
    description: str  # 地目 / 種類・構造
    size: str  # "200.00㎡"
    valuation: int
    tax_base: int
    share: str  # the representative's 持分 ("1/2") or "共有 3名"


@dataclass(frozen=True)
class Notice:
    notice_no: int
    fiscal_year: int
    municipality: str  # 射水市
    prefecture: str  # 富山県
    postal_code: str
    address: str
    name: str  # the 納税義務者, or the 代表者 of the co-owners
    co_owners: tuple[str, ...]  # the other co-owners' names
    atena_no: int
    land_tax_base: int
    house_tax_base: int
    kazei_hyojun: int
    rate_percent: str  # "1.4"
    sanshutsu: int
    reduction: int
    tax: int
    city_planning: bool
    city_planning_tax_base: int
    city_planning_rate_percent: str
    city_planning_tax: int
    total: int
    installments: tuple[tuple[str, str, int], ...]  # (第N期, 納期限, amount)
    assets: tuple[Asset, ...]
    issued_on: dt.date


def render(notices: Iterable[Notice]) -> bytes:
    """Every notice with its 課税明細書, in the order given (the printer's order)."""
    font = mincho()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, pageCompression=1)
    canvas.setTitle("固定資産税・都市計画税 納税通知書")
    count = 0
    for notice in notices:
        _front(canvas, font, notice)
        canvas.showPage()
        _details(canvas, font, notice)
        count += 1
    if not count:
        raise ValueError("no notice to print")
    canvas.save()
    return buffer.getvalue()


def title(n: Notice) -> str:
    taxes = "固定資産税・都市計画税" if n.city_planning else "固定資産税"
    return f"令和{n.fiscal_year - 2018}年度 {taxes} 納税通知書"


def _head(pen: Pen, n: Notice, heading: str) -> float:
    width, height = A4
    left, right = MARGIN, width - MARGIN
    y = height - MARGIN
    pen.text(left, y, f"〒{n.postal_code}" if n.postal_code else "", 10)
    pen.text(left, y - 5 * mm, n.address, 10)
    pen.text(left, y - 12 * mm, f"{n.name}　様", 13)
    if n.co_owners:
        others = "、".join(n.co_owners[:3]) + ("ほか" if len(n.co_owners) > 3 else "")
        pen.text(left, y - 18 * mm, f"（共有者代表）　共有者: {others}（{len(n.co_owners)}名）", 9)
    pen.right(right, y, f"通知書番号 {n.notice_no}", 9)
    pen.right(right, y - 5 * mm, f"宛名番号 {n.atena_no}", 9)
    pen.right(right, y - 10 * mm, to_wareki(n.issued_on), 9)
    pen.right(right, y - 15 * mm, f"{n.prefecture}{n.municipality}長", 10)
    y -= 30 * mm
    pen.text(left, y, heading, 14)
    return y - 8 * mm


def _front(c: Canvas, font: object, n: Notice) -> None:
    pen = Pen(c, font, right_margin=MARGIN)
    left, right = MARGIN, A4[0] - MARGIN
    y = _head(pen, n, title(n))
    rows = [
        ("土地の課税標準額", f"{n.land_tax_base:,}円"),
        ("家屋の課税標準額", f"{n.house_tax_base:,}円"),
        ("固定資産税 課税標準額（1,000円未満切捨て）", f"{n.kazei_hyojun:,}円"),
        ("固定資産税 税率", f"{n.rate_percent}%"),
        ("固定資産税 算出税額", f"{n.sanshutsu:,}円"),
        ("新築住宅の減額", f"{n.reduction:,}円"),
        ("固定資産税額", f"{n.tax:,}円"),
    ]
    if n.city_planning:
        rows += [
            ("都市計画税 課税標準額", f"{n.city_planning_tax_base:,}円"),
            ("都市計画税 税率", f"{n.city_planning_rate_percent}%"),
            ("都市計画税額", f"{n.city_planning_tax:,}円"),
        ]
    rows.append(("年税額", f"{n.total:,}円"))
    for label, value in rows:
        c.rect(left, y - ROW, right - left, ROW)
        pen.text(left + 2 * mm, y - ROW + 2.2 * mm, label)
        pen.right(right - 2 * mm, y - ROW + 2.2 * mm, value)
        y -= ROW
    y -= 8 * mm
    pen.text(left, y, "期別の税額", 11)
    y -= 2 * mm
    for label, due, amount in n.installments:
        c.rect(left, y - ROW, right - left, ROW)
        pen.text(left + 2 * mm, y - ROW + 2.2 * mm, label)
        pen.text(left + 45 * mm, y - ROW + 2.2 * mm, due)
        pen.right(right - 2 * mm, y - ROW + 2.2 * mm, f"{amount:,}円")
        y -= ROW
    y -= 6 * mm
    y = pen.wrapped(
        f"課税の明細は次ページ以降の課税明細書（{len(n.assets)}件）のとおりです"
        "（地方税法 第364条）。",
        left,
        y,
    )
    city = n.municipality
    pen.wrapped(APPEAL.format(mayor=f"{city}長", city=city), left, y - 2 * mm)


def _details(c: Canvas, font: object, n: Notice) -> None:
    """The 課税明細書: as many pages as the 物件 need."""
    pen = Pen(c, font, right_margin=MARGIN)
    left = MARGIN
    bottom = MARGIN + ROW
    pages = 0
    remaining = list(n.assets)
    while remaining or not pages:
        pages += 1
        heading = f"令和{n.fiscal_year - 2018}年度 課税明細書" + (
            f"（{pages}）" if pages > 1 else ""
        )
        y = _head(pen, n, heading)
        x = left
        for caption, width in DETAIL_COLUMNS:
            c.rect(x, y - ROW, width * mm, ROW)
            pen.fit(x + 1 * mm, y - ROW + 2.2 * mm, caption, width * mm - 2 * mm, 8)
            x += width * mm
        y -= ROW
        while remaining and y - ROW >= bottom:
            asset = remaining.pop(0)
            cells = (
                asset.kind,
                asset.place,
                asset.description,
                asset.size,
                f"{asset.valuation:,}",
                f"{asset.tax_base:,}",
                asset.share,
            )
            x = left
            for (_caption, width), value in zip(DETAIL_COLUMNS, cells, strict=True):
                c.rect(x, y - ROW, width * mm, ROW)
                pen.fit(x + 1 * mm, y - ROW + 2.2 * mm, value, width * mm - 2 * mm, 8)
                x += width * mm
            y -= ROW
        c.showPage()


def installment_rows(installments: list[dict[str, object]]) -> tuple[tuple[str, str, int], ...]:
    """The installments as the notice lists them."""
    return tuple(
        (
            f"第{item['number']}期",
            f"納期限 {to_wareki(dt.date.fromisoformat(str(item['due'])))}",
            int(item["amount"]),  # type: ignore[call-overload]
        )
        for item in installments
    )
